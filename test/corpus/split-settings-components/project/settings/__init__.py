from split_settings.tools import include, optional

include(
    "components/base.py",
    "components/database.py",
    "components/credentials.py",
    optional("local_settings.py"),
)
