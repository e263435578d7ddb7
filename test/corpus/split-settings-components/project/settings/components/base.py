DEBUG = False
USE_TZ = True
