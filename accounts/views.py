from django.contrib.auth import login
from django.shortcuts import redirect, render

from accounts.login_links import login_token_use


def login_link(request, token: str):
    """Sign in through a one-time link (the last step of signup), then go to the dashboard."""
    user = login_token_use(raw=token)
    if user is None:
        return render(request, "accounts/login_link_invalid.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("workspace:home")
