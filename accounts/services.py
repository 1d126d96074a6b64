"""Writes to users, in the schema that is active on the connection."""

from django.db import transaction

from accounts.models import User


def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    role: str = User.Role.STAFF,
    is_superuser: bool = False,
) -> User:
    """Create a user in the current schema (a workspace's team, or a super-admin in public)."""
    with transaction.atomic():
        if is_superuser:
            return User.objects.create_superuser(email=email, password=password, full_name=full_name)
        return User.objects.create_user(email=email, password=password, full_name=full_name, role=role)
