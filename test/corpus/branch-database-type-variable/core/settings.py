import environ

env = environ.Env()
DATABASE_TYPE = env("DATABASE_TYPE", default="mysql")

DATABASES = {
    "default": {
        "ENGINE": f"django.db.backends.{DATABASE_TYPE}",
        "NAME": env("DATABASE_NAME", default="core"),
        "USER": env("DATABASE_USER", default="core"),
        "PASSWORD": env("DATABASE_PASSWORD", default=""),
        "HOST": env("DATABASE_HOST", default="localhost"),
    }
}

if DATABASE_TYPE == "mysql":
    DATABASES["default"]["OPTIONS"] = {"charset": "utf8mb4", "sql_mode": "traditional"}
elif DATABASE_TYPE == "postgresql":
    DATABASES["default"]["OPTIONS"] = {"sslmode": "prefered"}  # expect: DPG102
