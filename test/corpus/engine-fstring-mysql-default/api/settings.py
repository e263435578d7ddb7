import os

DB_BACKEND = os.environ.get("DB_BACKEND", "mysql")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends." + DB_BACKEND,
        "NAME": os.environ.get("DB_NAME", "api"),
        "USER": os.environ.get("DB_USER", "api"),
        "HOST": os.environ.get("DB_HOST", "localhost"),
        "TEST": {"COLLATION": "utf8mb4_bin"},  # expect-info: DPG111
    }
}
