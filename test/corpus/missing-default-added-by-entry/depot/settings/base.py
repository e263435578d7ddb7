DATABASES = {
    "analytics": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "depot_analytics",
    },
}
