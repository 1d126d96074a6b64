"""Branding on a workspace's subdomain: the settings page and the locally served files.

/branding.json is routed in config/urls_tenants.py (a root path, outside this namespace).
"""

import re

from django.conf import settings
from django.urls import path, re_path

from branding import views
from branding.storage import BRANDING_DIR, TENANT_MEDIA_DIR

app_name = "branding"

MEDIA_PREFIX = re.escape(settings.MEDIA_URL.strip("/"))

urlpatterns = [
    path("settings/branding/", views.branding_edit, name="edit"),
    path("settings/branding/reset/", views.branding_reset_view, name="reset"),
    # TenantFileSystemStorage's URLs: MEDIA_URL + workspaces/<schema>/branding/<file>.
    re_path(
        rf"^{MEDIA_PREFIX}/{TENANT_MEDIA_DIR}/(?P<schema>[a-z0-9_]+)/{BRANDING_DIR}/(?P<file_name>[a-z0-9_.-]+)$",
        views.branding_file,
        name="file",
    ),
]
