from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import connection


class WorkspacePasswordResetTokenGenerator(PasswordResetTokenGenerator):
    """A reset token is bound to the schema it was issued in: worthless on another workspace,
    even for a user with the same id and email there."""

    key_salt = "accounts.tokens.WorkspacePasswordResetTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{connection.schema_name}:{super()._make_hash_value(user, timestamp)}"
