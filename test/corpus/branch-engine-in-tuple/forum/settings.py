import os

DATABASES = {
    "default": {
        "ENGINE": os.environ.get("FORUM_ENGINE", "django.db.backends.postgresql"),
        "NAME": os.environ.get("FORUM_DB", "forum"),
    }
}

if DATABASES["default"]["ENGINE"] in ("django.db.backends.mysql", "django.db.backends.sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA foreign_keys=ON"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {"init_command": "SET search_path TO forum"}  # expect: DPG112
