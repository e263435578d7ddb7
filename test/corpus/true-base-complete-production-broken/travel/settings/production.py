from .base import *

DATABASES["default"]["OPTIONS"] = {"sslmode": "verify_full"}  # expect: DPG102
DATABASES["default"]["HOST"] = "db1.internal,db2.internal,db3.internal"
DATABASES["default"]["PORT"] = "5432,5433"  # expect: DPG121
