import os

from .base import *  # expect: DPG120

DATABASES["default"]["HOST"] = os.environ["DB_HOST"]
DATABASES["default"]["USER"] = os.environ["DB_USER"]
