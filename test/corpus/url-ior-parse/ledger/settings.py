import os
import dj_database_url

DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}}
DATABASES["default"] |= dj_database_url.parse(os.environ["DATABASE_URL"])
