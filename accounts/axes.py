"""How django-axes names the account behind a sign-in attempt."""


def lockout_username(request, credentials=None) -> str | None:
    """allauth authenticates with ``email=...``; the form field is ``login``. Either way the
    account is its lowercased email, so "Ana@x.com" and "ana@x.com" count as one account."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        value = getattr(request, "POST", {}).get("login")
    return value.strip().lower() if value else None
