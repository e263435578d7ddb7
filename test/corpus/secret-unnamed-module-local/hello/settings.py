DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "hello",
        "USER": "hello",
        "PASSWORD": "hello",  # expect: DPG203
        "HOST": "localhost",
    }
}
