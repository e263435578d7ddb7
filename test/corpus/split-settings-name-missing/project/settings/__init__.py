from split_settings.tools import include, optional

include(
    "components/*.py",
    optional("local_settings.py"),
)
