import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "HOST": os.environ.get("BILLING_DB_HOST", "localhost"),
        "SSLMODE": "require",  # expect: DPG201
        "SSL": True,  # expect: DPG201
    }
}
