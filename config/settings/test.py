"""The test suite: same database engine and Redis as local, faster hashing, mail in memory."""

from config.env import env
from config.settings.local import *  # noqa: F403

DEBUG = False
SITE_PORT = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False

# The cache lives in its own Redis database so the suite can flush it between tests.
CACHES["default"]["LOCATION"] = env("CACHE_URL", default="redis://127.0.0.1:63799/2")  # noqa: F405
# Several suites may share one PostgreSQL cluster (two checkouts, or parallel work): each may
# name its own test database.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_saas")}  # noqa: F405
ALTCHA_COST = 500  # the same proof of work, lighter: tests solve it for real (tests/tenants/human.py)
