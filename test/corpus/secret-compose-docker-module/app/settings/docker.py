DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "postgres",  # expect-info: DPG203
        "HOST": "db",
        "PORT": 5432,
    }
}
