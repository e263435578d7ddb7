import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["STOCK_DB"],
        "HOST": os.environ["STOCK_DB_HOST"],
        "OPTIONS": {
            "sslmode": "verify-full",
            "sslrootcert": "/etc/ssl/certs/rds-ca.pem",
            "ssl_ca": "/etc/ssl/certs/rds-ca.pem",  # expect: DPG101
            "charset": "utf8",  # expect: DPG112
            "statement_timeout": 30000,  # expect: DPG114
        },
    }
}
