import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "hub",
        "HOTS": os.environ.get("HUB_DB_HOST", "localhost"),  # expect: DPG201
    },
    "legacy": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "legacy_crm",
        "OPTIONS": {"charset": "utf8mb4", "read_default_file": "/etc/mysql/crm.cnf"},
        "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_general_ci"},
    },
    "cache": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/tmp/hub-cache.sqlite3",
        "OPTIONS": {"timeout": 5},
    },
}
DATABASE_ROUTERS = ["hub.routers.LegacyRouter"]
