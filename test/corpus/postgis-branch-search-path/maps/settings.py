import os

DATABASES = {
    "default": {
        "ENGINE": os.environ.get("DB_ENGINE", "django.contrib.gis.db.backends.postgis"),
        "NAME": os.environ.get("DB_NAME", "maps"),
        "HOST": os.environ.get("DB_HOST", "localhost"),
        "OPTIONS": {"sslmode": "verify-full"},  # expect-info: DPG303
    }
}

if "postgis" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["OPTIONS"]["options"] = "-c search_path=public,topology"
else:
    DATABASES["default"]["OPTIONS"] = {"timeout": 10}
