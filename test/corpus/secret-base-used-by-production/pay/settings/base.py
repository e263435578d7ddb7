DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "pay",
        "USER": "pay",
        "PASSWORD": "pay",  # expect: DPG203
        "HOST": "localhost",
    }
}
