from .base import *  # noqa

DATABASES["default"]["NAME"] = "orders_dev"
DATABASES["default"]["HOST"] = "localhost"
