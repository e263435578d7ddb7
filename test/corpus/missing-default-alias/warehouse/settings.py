import os

DATABASES = {
    "primary": {  # expect: DPG122
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("WAREHOUSE_DB", "warehouse"),
    },
    "reporting": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "warehouse_reporting",
    },
}
