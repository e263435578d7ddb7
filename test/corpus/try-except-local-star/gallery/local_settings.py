DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "gallery",
        "USER": "gallery",
        "HOST": "/var/run/postgresql",
    }
}
