from .base import *  # noqa

DATABASES["default"]["NAME"] = "orders_test"
