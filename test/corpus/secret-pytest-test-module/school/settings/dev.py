import os

from .base import *

DATABASES["default"].update({"NAME": "school", "USER": os.environ.get("USER", "school")})
