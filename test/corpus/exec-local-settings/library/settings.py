import os

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "localhost",
    }
}

LOCAL_SETTINGS = os.path.join(BASE_DIR, "library", "settings_local.py")
if os.path.exists(LOCAL_SETTINGS):
    exec(open(os.path.join(BASE_DIR, "library", "settings_local.py")).read())
