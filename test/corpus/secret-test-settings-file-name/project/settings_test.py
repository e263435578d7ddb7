from .settings import *

DATABASES["default"]["NAME"] = "project_test"
DATABASES["default"]["PASSWORD"] = "test"  # expect-info: DPG203
