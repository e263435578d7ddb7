from split_settings.tools import include, optional

include(  # expect: DPG120
    "components/*.py",
    optional("local_settings.py"),
)
