from decouple import config

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": config("DB_NAME", default="blog"),
        "USER": config("DB_USER", default="blog"),
        "HOST": config("DB_HOST", default="127.0.0.1"),
        "PORT": config("DB_PORT", default="5432"),
        "TEST": {"COLLATION": "C"},  # expect: DPG111
    }
}

if DATABASES["default"]["ENGINE"].endswith("mysql"):
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8", "COLLATION": "utf8_general_ci"}
