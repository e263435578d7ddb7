import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("INTRANET_DB", "intranet"),
    }
}

try:
    from .local_settings import *
except ImportError:
    pass
