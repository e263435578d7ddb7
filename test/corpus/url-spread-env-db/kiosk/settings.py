import environ

env = environ.Env()
environ.Env.read_env()

DATABASES = {
    "default": {
        **env.db("DATABASE_URL"),
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "ATOMIC_REQUESTS": "True",  # expect: DPG109
    }
}
