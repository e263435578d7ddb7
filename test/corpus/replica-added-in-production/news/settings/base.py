import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("NEWS_DB", "news"),
        "HOST": os.environ.get("NEWS_DB_HOST", "localhost"),
    }
}
