DATABASES["default"]["OPTIONS"] = {"sslmode": "verify-ful"}  # expect: DPG102
DATABASES["default"]["PASSWORD"] = "device"  # expect-info: DPG203
DATABASES["default"]["HOST"] = "localhost"
