from .base import *

DATABASES["default"] = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "depot",
}
