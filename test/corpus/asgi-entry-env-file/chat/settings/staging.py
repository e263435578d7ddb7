import os

from .base import *

DATABASES["default"]["NAME"] = os.environ["CHAT_DB"]
DATABASES["default"]["HOST"] = os.environ["CHAT_DB_HOST"]
