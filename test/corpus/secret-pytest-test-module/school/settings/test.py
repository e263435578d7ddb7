from .base import *

DATABASES["default"].update(
    {
        "NAME": "school_test",
        "USER": "school",
        "PASSWORD": "school",  # expect-info: DPG203
        "HOST": "127.0.0.1",
    }
)
