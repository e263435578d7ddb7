DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
    }
}

try:
    from .local_settings import *  # noqa
except ImportError:
    pass
