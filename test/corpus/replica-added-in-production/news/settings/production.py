import os

from .base import *

DATABASES["replica"] = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": DATABASES["default"]["NAME"],
    "HOST": os.environ["NEWS_REPLICA_HOST"],
    "TEST": {"MIRROR": "default"},
}
