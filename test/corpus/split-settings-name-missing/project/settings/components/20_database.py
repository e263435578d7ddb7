import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",  # expect: DPG120
        "HOST": os.environ.get("DB_HOST", "localhost"),
        "USER": os.environ.get("DB_USER", "project"),
    }
}
