"""The test suite: same database engine and Redis as local, faster hashing, mail in memory."""

from config.settings.local import *  # noqa: F403

DEBUG = False
SITE_PORT = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
