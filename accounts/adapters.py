from allauth.account.adapter import DefaultAccountAdapter

from core.emails import email_branding


class WorkspaceAccountAdapter(DefaultAccountAdapter):
    """Accounts on a workspace are created by signup (the owner) or by invitation, never by
    an open sign-up form on the subdomain. Its emails (password reset) wear the workspace's brand."""

    def is_open_for_signup(self, request):
        return False

    def get_from_email(self):
        return email_branding().from_email

    def send_mail(self, template_prefix, email, context):
        context = {**context, "branding": email_branding()}
        return super().send_mail(template_prefix, email, context)
