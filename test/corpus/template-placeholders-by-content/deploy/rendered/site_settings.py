# Rendered by consul-template at deploy time.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "site",
        "USER": "{{ with secret \"db/creds/site\" }}{{ .Data.username }}{{ end }}",
        "PASSWORD": "{{ with secret \"db/creds/site\" }}{{ .Data.password }}{{ end }}",
        "HOST": "{{ key \"db/site/host\" }}",
        "PORT": "{{ key \"db/site/port\" }}",
    }
}
