from .base import *

DATABASES["default"]["NAME"] = "reports"
