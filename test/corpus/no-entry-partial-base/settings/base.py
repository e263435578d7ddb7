DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",  # expect-info: DPG120
    }
}
