import os

from .base import *

DATABASES["default"]["HOST"] = os.environ["DB_HOST"]
DATABASES["default"]["USER"] = os.environ["DB_USER"]
