"""Production: every secret and host comes from the environment; refuses to start without them.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (and BASE_DOMAIN, REDIS_URL in practice).
"""

import warnings

from django.core.exceptions import ImproperlyConfigured

from config.env import env
from config.settings.base import *  # noqa: F403
from core.observability import sentry_init

DEBUG = False
# env() without a default raises ImproperlyConfigured naming the missing variable.
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Stored credentials of businesses (payment providers, WhatsApp) are encrypted with this key.
SALT_KEY = env.list("FIELD_ENCRYPTION_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the base domain and its subdomains.")

# TLS ends at the proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)


# dj-stripe 2.11's admin forms declare URLFields without `assume_scheme` (Django 6.0 changes its
# default); nothing of ours is affected, so the warning is not shown on every start.
warnings.filterwarnings(
    "ignore", message="The default scheme will be changed", module=r"djstripe\.admin\.forms"
)

# Logs: one JSON object a line, with the workspace and the request id; secrets blanked
# (core/observability.py). LOG_FORMAT=plain for a person reading a terminal.
if env("LOG_FORMAT", default="json") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405

# Errors to Sentry when SENTRY_DSN is set; personal data off and scrubbed before sending.
sentry_init(
    SENTRY_DSN,  # noqa: F405
    environment=env("SENTRY_ENVIRONMENT", default="production"),
    release=env("SENTRY_RELEASE", default=""),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)
