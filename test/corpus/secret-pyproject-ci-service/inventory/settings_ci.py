from .settings import *  # noqa

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "ci",
        "USER": "postgres",
        "PASSWORD": "postgres",  # expect-info: DPG203
        "HOST": "localhost",
        "PORT": 5432,
    }
}
