DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "crm",
        "USER": "crm",
        "PASSWORD": "crm-shared-2024",  # expect: DPG203
        "HOST": "crm-db.staging.example.com",
    }
}
