"""Sign-in events into the workspace's audit log.

Receivers only record; they are connected in AccountsConfig.ready(). The audit log lives in
workspace schemas, so sign-ins on the public site (super-admins) are not recorded here.
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connection
from django_tenants.utils import get_public_schema_name

from accounts.axes import lockout_username
from audit.models import AuditEvent
from audit.services import audit_record


def _in_workspace() -> bool:
    return connection.schema_name != get_public_schema_name()


def record_sign_in(sender, request, user, **kwargs):
    if _in_workspace():
        audit_record(action=AuditEvent.Action.SIGN_IN, actor=user, target=user.email, request=request)


def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    """Only the attempted email is kept: never the password nor any other credential."""
    if _in_workspace():
        email = lockout_username(request, credentials) or ""
        audit_record(
            action=AuditEvent.Action.SIGN_IN_FAILED, actor_email=email[:254], target=email, request=request
        )


def record_lockout(sender, request, username, **kwargs):
    if _in_workspace():
        username = (username or "")[:254]
        audit_record(action=AuditEvent.Action.LOCKOUT, actor_email=username, target=username, request=request)


def connect() -> None:
    # axes.signals imports axes' handlers, which need the app registry: imported here, not at the top.
    from axes.signals import user_locked_out

    user_logged_in.connect(record_sign_in, dispatch_uid="audit.sign_in")
    user_login_failed.connect(record_failed_sign_in, dispatch_uid="audit.sign_in_failed")
    user_locked_out.connect(record_lockout, dispatch_uid="audit.lockout")
