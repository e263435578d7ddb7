SECRET_KEY = "only-for-tests"
INSTALLED_APPS = ["reviews"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "reviews",
        "USER": "reviews",
        "PASSWORD": "reviews",  # expect-info: DPG203
        "HOST": "localhost",
    }
}
