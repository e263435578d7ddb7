from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
USE_TZ = True

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "ATOMIC_REQUESTS": True,
    }
}
