import dj_database_url

DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}
DATABASES["default"]["OPTIONS"] = {"sslmode": "requir"}  # expect-info: DPG102
