"""Domain errors of the team: shown as form messages by the views, as API errors by the API."""


class TeamError(Exception):
    """A change to the team that the rules refuse; ``message`` is translated for the user."""

    code = "team_error"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class LastOwnerError(TeamError):
    """The change would leave the workspace without an active owner."""

    code = "last_owner"


class InvitationRefused(TeamError):
    """The address cannot be invited (already a member, or already invited)."""

    code = "invitation_refused"


class InvitationUnusable(TeamError):
    """The invitation link cannot be used: its ``status`` says why (expired, accepted, revoked)."""

    code = "invitation_unusable"

    def __init__(self, message, *, status: str):
        super().__init__(message)
        self.status = status
