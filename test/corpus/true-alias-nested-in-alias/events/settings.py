import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "events",
        "HOST": os.environ.get("EVENTS_DB_HOST", "localhost"),
        "replica": {  # expect: DPG201
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "events",
            "HOST": "replica.internal",
        },
    },
}
