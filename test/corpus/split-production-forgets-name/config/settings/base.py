DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",  # expect: DPG120
        "ATOMIC_REQUESTS": True,
    }
}
