import os

DATABASES["default"].update(
    NAME=os.environ.get("PGDATABASE", "project"),
    USER=os.environ.get("PGUSER", "project"),
    HOST=os.environ.get("PGHOST", "localhost"),
)
