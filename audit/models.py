from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """An immutable record of a sensitive action in this workspace."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        LOCKOUT = "lockout", _("Account locked")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        ROLE_CHANGED = "role_changed", _("Role changed")
        USER_DEACTIVATED = "user_deactivated", _("User deactivated")
        SETTINGS_CHANGED = "settings_changed", _("Settings changed")
        DATA_EXPORTED = "data_exported", _("Data exported")
        STOCK_ADJUSTED = "stock_adjusted", _("Stock adjusted")
        STOCK_COUNTED = "stock_counted", _("Stock count posted")
        SALE_VOIDED = "sale_voided", _("Sale voided")
        SALE_RETURNED = "sale_returned", _("Sale returned")
        IMPORT_APPLIED = "import_applied", _("Data imported")
        INVITATION_REVOKED = "invitation_revoked", _("Invitation withdrawn")
        USER_REACTIVATED = "user_reactivated", _("User reactivated")
        WORKSPACE_CLOSED = "workspace_closed", _("Workspace closed (deletion requested)")
        WORKSPACE_RESTORED = "workspace_restored", _("Workspace restored")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too: the log still reads right after the user is renamed or removed.
    actor_email = models.CharField(_("who (email)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    target = models.CharField(_("on"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.target}"
