DATABASES = {
    "default": {
        "ENGINE": "djongo",
        "NAME": "docs",
        "ENFORCE_SCHEMA": False,
        "CLIENT": {"host": "mongodb://localhost:27017"},
        "OPTIONS": {"authSource": "admin"},  # expect-info: DPG101
    },
    "users": {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": "users",
        "OPTIONS": {"sslmode": "Require"},  # expect: DPG102
    },
}
