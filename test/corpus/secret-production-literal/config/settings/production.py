DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shopfront",
        "USER": "shopfront",
        "PASSWORD": "Tr0ub4dor&3",  # expect: DPG203
        "HOST": "localhost",
    }
}
