from .base import *

DATABASES["default"]["NAME"] = "events_dev"
