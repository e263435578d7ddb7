import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("QUEUE_DB", "queue"),
        "HOST": os.environ.get("QUEUE_DB_HOST", ""),
    }
}

if os.environ.get("DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.config()}
