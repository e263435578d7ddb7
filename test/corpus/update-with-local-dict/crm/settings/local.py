from .base import *

LOCAL_DB = {
    "NAME": "crm_dev",
    "USER": "crm",
    "PASSWORD": "crm",  # expect-info: DPG203
    "HOST": "localhost",
}
DATABASES["default"].update(LOCAL_DB)
