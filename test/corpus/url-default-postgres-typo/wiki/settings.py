import dj_database_url

DATABASES = {
    "default": dj_database_url.config(default="postgres://wiki@localhost:5432/wiki", conn_max_age=0),
}
DATABASES["default"]["OPTIONS"] = {"sslmode": "requir"}  # expect: DPG102
