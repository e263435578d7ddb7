import os

DEBUG = os.environ.get("DJANGO_DEBUG", "") == "true"
ENGINE = "django.db.backends.sqlite3" if DEBUG else "django.db.backends.postgresql"

DATABASES = {
    "default": {
        "ENGINE": ENGINE,
        "NAME": os.environ.get("PRESS_DB", "press"),
        "OPTIONS": {"connect_timeout": 5, "keepalives_idle": 0},  # expect-info: DPG117
    }
}
