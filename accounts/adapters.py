from allauth.account.adapter import DefaultAccountAdapter


class WorkspaceAccountAdapter(DefaultAccountAdapter):
    """Accounts on a workspace are created by signup (the owner) or by invitation, never by
    an open sign-up form on the subdomain."""

    def is_open_for_signup(self, request):
        return False
