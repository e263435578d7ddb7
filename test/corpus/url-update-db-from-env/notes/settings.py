import dj_database_url

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {"sslmode": "on"},  # expect: DPG102
    }
}

# Heroku: the URL supplies NAME, USER, PASSWORD, HOST and PORT.
db_from_env = dj_database_url.config(conn_max_age=500)
DATABASES["default"].update(db_from_env)
