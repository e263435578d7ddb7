import os

DATABASES = {
    "default": {
        "ENGINE": "django_prometheus.db.backends.postgresql",
        "NAME": "metrics",
        "USER": "metrics",
        "PASSWORD": os.environ["METRICS_DB_PASSWORD"],
        "HOST": "metrics-db.internal.example.net",
        "OPTIONS": {"sslmode": "disable"},  # expect: DPG204
    }
}
