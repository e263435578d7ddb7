import os

COMMON_DB = {
    "ENGINE": "django.db.backends.postgresql",
    "USER": os.environ.get("LAB_DB_USER", "lab"),
    "PASSWORD": os.environ.get("LAB_DB_PASSWORD"),
    "HOST": os.environ.get("LAB_DB_HOST", "localhost"),
}

DATABASES = {
    "default": {**COMMON_DB, "NAME": "lab", "OPTIONS": {"connect_timout": 5}},  # expect: DPG101
    "archive": {**COMMON_DB, "NAME": "lab_archive"},
}
