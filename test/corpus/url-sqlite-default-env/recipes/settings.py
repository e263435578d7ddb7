from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# SQLite on a laptop, PostgreSQL wherever DATABASE_URL is set.
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///db.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = "yes"  # expect: DPG109
DATABASES["default"]["OPTIONS"] = {"sslmode": "requir"}  # expect: DPG213  # expect-info: DPG102
