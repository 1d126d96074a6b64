"""Settings shared by every environment: tenancy wiring, apps, middleware, i18n, Celery.

Environment-specific files (local, test, production) import this and read their toggles from
the environment through ``config.env``.
"""

from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="")
# Credentials a business stores (MercadoPago, Wompi, WhatsApp tokens) are encrypted at rest by
# django-fernet-encrypted-fields with a key derived from SECRET_KEY and this salt. Rotate by putting
# the new value first: FIELD_ENCRYPTION_KEY="new,old" (old keys still decrypt; re-save to re-encrypt).
SALT_KEY = env.list("FIELD_ENCRYPTION_KEY", default=[])
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

# The domain under which each workspace gets its subdomain: <slug>.<BASE_DOMAIN>.
BASE_DOMAIN = env("BASE_DOMAIN", default="localhost")
# The scheme and port used to build absolute links to workspaces (emails, redirects).
SITE_SCHEME = env("SITE_SCHEME", default="https")
SITE_PORT = env("SITE_PORT", default="")

# --- Tenancy (django-tenants): decided once, before the first migration --------------------
# Shared apps live in the public schema (platform: tenants, plans, billing, super-admins).
SHARED_APPS = [
    "django_tenants",
    "core",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "accounts",
    "allauth",
    "allauth.account",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "plans",
    "billing",
    "djstripe",
    # phone-number id → workspace for the one WhatsApp webhook (messaging keeps it in sync)
    "whatsapp_routes",
    "backups",
]
# Tenant apps get their own tables in every workspace schema. auth, sessions and axes are here
# too, so a business's users, sessions and lockouts belong to that business alone.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "accounts",
    "allauth",
    "allauth.account",
    "axes",
    "audit",
    "team",
    "inventory",
    "branding",
    "api",
    "forecasts",
    "customers",
    "academy",
    "memberships",
    "fees",
    "payroll",
    "payments",
    "orders",
    "messaging",
]
# The demo seeder (`manage.py seed_demo`) has no tables: installed for its command only.
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS] + ["demo"]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenants"
DEFAULT_NOT_FOUND_TENANT_VIEW = "tenants.views.no_such_workspace"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# `SET search_path` once per connection and workspace, not before every statement (a round trip
# per query, half of a sale's): the backend forgets it on set_tenant, rollback and savepoint
# rollback, the only ways the setting can change or be undone (issue 17's profile).
TENANT_LIMIT_SET_CALLS = True

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://saas@127.0.0.1:54329/saas")}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A pooled connection that died (Postgres restarted) is replaced before use, not handed to a request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    # Request counts and latencies by view, method and status (never by workspace): /metrics.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # An id per request, in X-Request-ID and on every log line (core/observability.py).
    "core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Static files are answered before tenant routing: they need no database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.WorkspaceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tenants.middleware.WorkspaceLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in a query or form answers 400 (PostgreSQL text cannot hold it).
    "core.middleware.RefuseNulBytesMiddleware",
    # Signed-in pages and downloads are private: never stored by a browser or a proxy cache.
    "core.middleware.PrivateCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # What the workspace's status allows (read-only, suspended, closed); needs request.user.
    "tenants.status_middleware.WorkspaceStatusMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.workspace",
                "branding.context_processors.branding",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Users and sign-in -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 first; passwords stored with the others still verify and are upgraded on sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "workspace:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.WorkspaceAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "accounts.tokens.WorkspacePasswordResetTokenGenerator"
# Failed sign-ins are counted by django-axes (per tenant, in the database); allauth's own
# cache-based counter would lock earlier and with another message.
ACCOUNT_RATE_LIMITS = {"login_failed": None}

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
# Lock the account, not the address: a shop's whole team often signs in from one IP (one NAT),
# so an address rule would lock everyone out for one person's typos. Axes warns about that
# choice (W006); it is deliberate.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.axes.lockout_username"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address, one rule for axes, allauth's rate limits and the audit log
# (core.http.client_ip): X-Forwarded-For is believed only from these proxies (addresses or
# networks, e.g. the compose network of the shipped Caddy).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Workspaces one visitor may create (tenants/signup_limits.py, django-ratelimit's rate syntax).
SIGNUP_RATE_PER_ADDRESS = env("SIGNUP_RATE_PER_ADDRESS", default="5/h")
SIGNUP_RATE_PER_EMAIL_DOMAIN = env("SIGNUP_RATE_PER_EMAIL_DOMAIN", default="30/h")
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"

# --- Internationalisation: Spanish first, English too -----------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Off: with it on, every {{ number }} in a template is grouped ("1.642"), which breaks ids
# written into URLs and attributes. Figures meant for people are grouped explicitly through
# {% money %} / {% number %} (Babel) or |intcomma.
USE_THOUSAND_SEPARATOR = False

# --- Static files (WhiteNoise: compressed, hashed) --------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Browser packages from npm (package.json, installed by the setup and the image build).
    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist"),
    # ALTCHA's widget without bundled styles and workers (strict CSP): its script and CSS, the
    # proof-of-work worker, and its translations (signup's proof of a human, tenants.human_check).
    ("vendor/altcha/external", BASE_DIR / "node_modules" / "altcha" / "dist" / "external"),
    ("vendor/altcha/workers", BASE_DIR / "node_modules" / "altcha" / "dist" / "workers"),
    ("vendor/altcha/i18n", BASE_DIR / "node_modules" / "altcha" / "dist" / "i18n"),
]
# ALTCHA's widget ships its browser builds as .cjs (UMD): served as JavaScript, or a browser
# refuses to run it (X-Content-Type-Options: nosniff).
WHITENOISE_MIMETYPES = {".cjs": "text/javascript"}
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Branding files (logos, favicons), one folder per workspace: MEDIA_ROOT/workspaces/<schema>/,
# served by the branding app on the workspace's own host. In production any S3-compatible store
# (django-storages), e.g. BRANDING_STORAGE_BACKEND=storages.backends.s3.S3Storage and
# BRANDING_STORAGE_OPTIONS={"bucket_name": "...", "endpoint_url": "...", "querystring_auth": false,
# "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"}}; keys then carry
# the schema (workspaces/<schema>/branding/...).
MULTITENANT_RELATIVE_MEDIA_ROOT = "workspaces/%s"
BRANDING_STORAGE = {
    "BACKEND": env(
        "BRANDING_STORAGE_BACKEND", default="django_tenants.files.storage.TenantFileSystemStorage"
    ),
    "OPTIONS": env.json("BRANDING_STORAGE_OPTIONS", default={}),
}

# --- Cache, Celery (Redis) ---------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:63799/0")
CACHES = {
    "default": {
        # Django's Redis cache that answers "miss" while Redis is down (core/cache.py).
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        # Cache keys carry the schema name, so one tenant never reads another's entries.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With late acknowledgement, a task whose worker died is handed out again after the visibility
# timeout: longer than the longest task (a forecast run, an import of 100,000 rows), or a task
# still running would be delivered twice. The reapers fail a dead job well before that.
# Redis down: sending a task fails within about a second (short connect timeout, one quick retry),
# so a request that needs the broker answers 503 at once instead of hanging (the issue measured
# 21 s). Redis is optional for correctness: see README "Running unattended".
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60),
}
CELERY_RESULT_EXPIRES = 3600
# Task modules not named tasks.py (autodiscovery finds only those).
CELERY_IMPORTS = ["tenants.emails", "tenants.sign_in", "inventory.imports.tasks"]
CELERY_BEAT_SCHEDULE = {
    # Sessions live in each tenant's schema, so expired ones are cleared tenant by tenant.
    "clear-expired-sessions": {
        "task": "tenants.tasks.for_each_active_tenant",
        "schedule": 60 * 60 * 6,
        "args": ("tenants.tasks.clear_expired_sessions",),
    },
    # Life of an account (public schema): all idempotent, so a missed or doubled run is harmless.
    "expire-trials": {"task": "tenants.tasks.expire_trials", "schedule": 60 * 15},
    "purge-closed-workspaces": {"task": "tenants.tasks.purge_closed_workspaces", "schedule": 60 * 60},
    "exports-reap-stalled": {"task": "tenants.tasks.reap_stalled_exports", "schedule": 60},
    "purge-unconfirmed-workspaces": {
        "task": "tenants.tasks.purge_unconfirmed_workspaces",
        "schedule": 60 * 60,
    },
    "purge-expired-exports": {"task": "tenants.tasks.purge_expired_exports", "schedule": 60 * 60 * 6},
}

# --- Email -------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Stockwise <no-reply@localhost>")
# Where suspended or closed workspaces are told to write (default: support@<BASE_DOMAIN>).
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# --- Security defaults (production tightens these) ------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts, workers, fetches and frames only from the site
# itself. No inline script anywhere: every script is a static file (tests/config/test_csp.py scans
# the templates for an inline <script> body or an on*= handler). Inline styles stay allowed
# ('unsafe-inline' in style-src): each workspace's brand colours are CSS variables written into
# the page, print pages carry their own rules, and a style cannot run code. Images may also be
# data: URIs (QR codes, the widget's icons) and come from CSP_EXTRA_IMG_SRC (an S3 bucket
# serving branding files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "worker-src": [SELF],
        "connect-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(workspace)s %(request_id)s] %(message)s"},
        # Production's (config/settings/production.py): one JSON object a line.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(workspace)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    # Every line carries the workspace and the request id, and never a secret (core/observability.py).
    "filters": {
        "context": {"()": "core.observability.ContextFilter"},
        "secrets": {"()": "core.observability.SecretsFilter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["context", "secrets"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # axes logs the attempted username and the request; keep only its warnings.
        "axes": {"level": "WARNING"},
    },
}

# Signup's proof of a human (tenants.human_check): PBKDF2 iterations per attempt (a browser makes
# some 256 attempts on average: about a second) and how long a challenge may be solved and sent.
ALTCHA_COST = env.int("ALTCHA_COST", default=5_000)
ALTCHA_MAX_AGE = env.int("ALTCHA_MAX_AGE", default=20 * 60)

# Observability (core/observability.py): /metrics answers this bearer token (or a super-admin);
# Sentry starts when SENTRY_DSN is set, with personal data scrubbed.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
SENTRY_DSN = env("SENTRY_DSN", default="")
PROMETHEUS_EXPORT_MIGRATIONS = False

# Password of the demo accounts that `make run` creates (local use only).
DEMO_PASSWORD = env("DEMO_PASSWORD", default="demo-pass-2026")

# New workspaces are cloned from a migrated, empty template schema instead of running every
# migration (tens of seconds once dj-stripe is installed). The template is a Tenant row with
# status "template", so `migrate_schemas` keeps it current like any workspace.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Workspace schemas skip replaying public-only apps' migrations (see tenants/migration.py).
TENANT_BASE_MIGRATE_COMMAND = "tenants.migration.TenantSchemaMigrateCommand"
# migrate_schemas migrates the workspace schemas in one process, the migration graph and model
# states built once (tenants/migration_runner.py); `--executor standard` (or EXECUTOR=standard)
# runs django-tenants' per-schema migrate instead.
GET_EXECUTOR_FUNCTION = "tenants.migration_runner.get_executor"
TENANT_MIGRATION_EXECUTOR = env("TENANT_MIGRATION_EXECUTOR", default="inprocess")

# --- Billing (Stripe, dj-stripe) ---------------------------------------------------------------
# Keys come from the environment. Without STRIPE_SECRET_KEY billing runs in manual mode: the
# super-admin assigns plans in the Django admin and the billing page says so (`make run`).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
# The signing secret (whsec_...) of the one webhook endpoint, /stripe/webhook/ on the bare domain.
DJSTRIPE_WEBHOOK_SECRET = env("DJSTRIPE_WEBHOOK_SECRET", default="")
# One API version for every outbound call (dj-stripe 2.11's own); set the webhook endpoint in
# Stripe's dashboard to the same version so event payloads have the shape the handlers read.
STRIPE_API_VERSION = env("STRIPE_API_VERSION", default="2026-05-27.dahlia")
# Where the Stripe API is (ours and dj-stripe's calls): a local Stripe-compatible server can
# stand in for Stripe in a demo or an end-to-end check.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
# dj-stripe lives in the public schema; its customers belong to workspaces, not to users.
DJSTRIPE_SUBSCRIBER_MODEL = "tenants.Tenant"
DJSTRIPE_SUBSCRIBER_MODEL_REQUEST_CALLBACK = "billing.stripe_api.subscriber_for_request"
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
# Dunning: a workspace whose payment failed is suspended once the grace period is over; owners
# in a trial hear 3 days before it ends. Both tasks are idempotent.
CELERY_BEAT_SCHEDULE["billing-suspend-overdue"] = {
    "task": "billing.tasks.suspend_overdue_workspaces",
    "schedule": 60 * 15,
}
CELERY_BEAT_SCHEDULE["billing-trial-reminders"] = {
    "task": "billing.tasks.send_trial_reminders",
    "schedule": 60 * 60,
}
# The stripe library logs each request's URL at INFO and bodies at DEBUG: keep only its warnings.
LOGGING["loggers"]["stripe"] = {"level": "WARNING"}
# pg_dump writes the template schema once per process for fast provisioning (tenants/provisioning.py);
# empty: the newest /usr/lib/postgresql/*/bin/pg_dump, else the one on PATH.
PG_DUMP = env("PG_DUMP", default="")

# --- Backups of one workspace (backups app) ---------------------------------------------------
# Nightly: one archive per open workspace (its schema, its public rows, its media files), kept 7
# days plus one a week for 4 weeks. The store is a local folder unless BACKUP_STORAGE_BACKEND names
# another Django storage, e.g. storages.backends.s3.S3Storage with BACKUP_STORAGE_OPTIONS=
# {"bucket_name": "...", "endpoint_url": "https://...", "access_key": "...", "secret_key": "..."}.
BACKUP_STORAGE = {
    "BACKEND": env("BACKUP_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
    "OPTIONS": env.json(
        "BACKUP_STORAGE_OPTIONS",
        default={"location": env("BACKUP_ROOT", default=str(BASE_DIR / ".local" / "backups"))},
    ),
}
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=4)
CELERY_BEAT_SCHEDULE["backups-nightly"] = {
    "task": "backups.tasks.backup_all_workspaces",
    "schedule": crontab(hour=env.int("BACKUP_HOUR_UTC", default=6), minute=15),
}

# --- REST API (api app): /api/v1/ on each workspace's subdomain -------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an unauthenticated call is answered 401 with WWW-Authenticate: Bearer.
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.WorkspaceApiAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PlanRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stockwise API",
    "DESCRIPTION": (
        "The staff API of one workspace, on its own subdomain. Authenticate with a personal API "
        "token (`Authorization: Bearer <token>`) or a browser session. Errors are "
        '`{"detail": ..., "code": ...}`; invalid input adds `fields`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page's assets come from drf-spectacular-sidecar (static files), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LocationKindEnum": "inventory.models.Location.Kind",
        "StockMovementKindEnum": "inventory.models.StockMovement.Kind",
        "SaleStatusEnum": "inventory.models.Sale.Status",
        "TransferStatusEnum": "inventory.models.Transfer.Status",
        "PurchaseOrderStatusEnum": "inventory.models.PurchaseOrder.Status",
        "QuoteStatusEnum": "inventory.models.Quote.Status",
        "ConsentSourceEnum": "customers.models.ConsentSource",
        "OrderStatusEnum": "orders.models.Order.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.errors.add_error_responses",
    ],
}
# Demand forecasts: once a day, one run per workspace on a plan with forecasts, 30 s apart.
# A running import shows a sign of life at least this often; without one it counts as stopped.
IMPORT_HEARTBEAT_SECONDS = env.int("IMPORT_HEARTBEAT_SECONDS", default=300)
# Data exports and forecast runs write a heartbeat (a timestamp on their row) at every step; one
# silent this long lost its worker and is marked failed by the reapers (beat, every minute).
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=300)
CELERY_BEAT_SCHEDULE["imports-reap-stalled"] = {
    "task": "tenants.tasks.for_each_active_tenant",
    "schedule": 60,
    "args": ("inventory.imports.tasks.reap_stalled_imports",),
}
CELERY_BEAT_SCHEDULE["forecasts-reap-stalled"] = {
    "task": "tenants.tasks.for_each_active_tenant",
    "schedule": 60,
    "args": ("forecasts.tasks.reap_stalled_forecast_runs",),
}
CELERY_BEAT_SCHEDULE["forecasts-nightly"] = {
    "task": "forecasts.tasks.forecast_nightly_fan_out",
    "schedule": 60 * 60 * 24,
}

# Browser features pages may use: the camera only on our own pages (front-desk QR check-in);
# everything else off.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": ["self"],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Academies: the month's tuition once the billing day has come (checked daily; idempotent).
CELERY_BEAT_SCHEDULE["fees-tuition-run"] = {
    "task": "tenants.tasks.for_each_active_tenant",
    "schedule": 60 * 60 * 6,
    "args": ("fees.tasks.tuition_run_due_task",),
}
CELERY_BEAT_SCHEDULE["fees-reminders"] = {
    "task": "tenants.tasks.for_each_active_tenant",
    "schedule": 60 * 60 * 24,
    "args": ("fees.tasks.reminders_send_task",),
}
CELERY_BEAT_SCHEDULE["academy-sessions-ahead"] = {
    "task": "tenants.tasks.for_each_active_tenant",
    "schedule": 60 * 60 * 24,
    "args": ("academy.tasks.sessions_generate_ahead",),
}

# --- WhatsApp (messaging) ------------------------------------------------------------------------
# One Meta app for the platform: its secret signs every webhook (X-Hub-Signature-256) and the verify
# token answers Meta's subscription challenge on /whatsapp/webhook/ (bare domain). Each workspace
# brings its own number and token (encrypted at rest, messaging.WhatsAppAccount).
WHATSAPP_APP_SECRET = env("WHATSAPP_APP_SECRET", default="")
WHATSAPP_VERIFY_TOKEN = env("WHATSAPP_VERIFY_TOKEN", default="")
# The Graph API (a local stand-in may take its place for a demo).
WHATSAPP_GRAPH_URL = env("WHATSAPP_GRAPH_URL", default="https://graph.facebook.com/v21.0")
# The assistant answers by rules; a language-model provider may be plugged in behind this setting
# (messaging.assistant.llm_fallback_register). Off by default: nothing leaves the platform.
WHATSAPP_ASSISTANT_LLM = env("WHATSAPP_ASSISTANT_LLM", default="")
CELERY_BEAT_SCHEDULE["whatsapp-reminders"] = {
    "task": "tenants.tasks.for_each_active_tenant",
    "schedule": 60 * 15,
    "args": ("messaging.tasks.reminders_send_task",),
}
CELERY_BEAT_SCHEDULE["whatsapp-retention"] = {
    "task": "tenants.tasks.for_each_active_tenant",
    "schedule": 60 * 60 * 24,
    "args": ("messaging.tasks.messages_purge_task",),
}
