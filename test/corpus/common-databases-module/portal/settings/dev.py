from .common.databases import *

DATABASES["default"].update({"NAME": "portal", "USER": "portal", "HOST": "localhost", "PORT": 5432})
