import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "inventory"),
        "PASSWORD": os.environ.get("DB_PASSWORD"),
    }
}
