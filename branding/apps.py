from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandingConfig(AppConfig):
    """Each workspace's logo and colours (tenant schema); fills the layout's CSS variables."""

    name = "branding"
    verbose_name = _("Branding")

    def ready(self):
        # Apps below branding (tenants' welcome email, accounts' allauth adapter) dress their emails
        # through core.emails, which asks this provider.
        from branding.selectors import email_branding  # the selectors import models: not at the top
        from core.emails import email_branding_register

        email_branding_register(email_branding)

        # Backups (a public app below) save and restore each workspace's branding files.
        from backups.media import MediaSource, media_source_register
        from branding.storage import rooted_storage, workspace_prefix

        media_source_register(
            MediaSource(name="branding", storage=rooted_storage, prefix=workspace_prefix, follows_schema=True)
        )
