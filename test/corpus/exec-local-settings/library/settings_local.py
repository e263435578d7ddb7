DATABASES["default"]["NAME"] = "library"
DATABASES["default"]["USER"] = "library"
