import os

DATABASES = {
    "default": {
        "ENGINE": os.environ.get("ERP_DB_ENGINE", "django.db.backends.postgresql"),
        "NAME": os.environ.get("ERP_DB_NAME", "erp"),
        "HOST": os.environ.get("ERP_DB_HOST", "localhost"),
    }
}

if not DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"]["OPTIONS"] = {
        "driver": "ODBC Driver 18 for SQL Server",
        "extra_params": "TrustServerCertificate=yes",
    }
