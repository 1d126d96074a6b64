"""The role table, view by view: every team and audit view (and the workspace home) for the
owner, an admin, a staff member, an anonymous visitor and a user of another workspace (beta's
session cookie sent to alpha). Refused requests change nothing."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, User
from audit.models import AuditEvent
from team.invitations import invitation_create
from tests.conftest import in_schema
from tests.team.test_team import member, owner_of, sign_in, signed_in

OWNER, ADMIN, STAFF, ANONYMOUS, OTHER_WORKSPACE = "owner", "admin", "staff", "anonymous", "other_workspace"
VISITORS = [OWNER, ADMIN, STAFF, ANONYMOUS, OTHER_WORKSPACE]
TOKEN = "a-known-token-for-the-role-table-0123456789"
LOGIN = "302 to the sign-in page"


def expect(owner, admin, staff, anonymous=LOGIN, other_workspace=LOGIN):
    return {OWNER: owner, ADMIN: admin, STAFF: staff, ANONYMOUS: anonymous, OTHER_WORKSPACE: other_workspace}


# (URL name, method, POST data, expected status per visitor)
VIEWS = [
    ("workspace:home", "get", None, expect(200, 200, 200)),
    ("team:team", "get", None, expect(200, 403, 403)),
    (
        "team:invitation_create",
        "post",
        {"email": "new@example.com", "role": "staff"},
        expect(302, 403, 403),
    ),
    ("team:invitation_resend", "post", {}, expect(302, 403, 403)),
    ("team:invitation_revoke", "post", {}, expect(302, 403, 403)),
    ("team:user_role_change", "post", {"role": "admin"}, expect(302, 403, 403)),
    ("team:user_deactivate", "get", None, expect(200, 403, 403)),
    ("team:user_deactivate", "post", {}, expect(302, 403, 403)),
    # Joining is for people without an account: open to everyone who holds the link.
    ("team:invitation_accept", "get", None, expect(200, 200, 200, 200, 200)),
    ("audit:list", "get", None, expect(200, 200, 403)),
]


@pytest.fixture
def alpha_data(workspaces):
    """A staff member to act on and a pending invitation whose link is TOKEN."""
    alpha = workspaces.alpha
    target = member(alpha, email="target@alpha.test")
    with in_schema(alpha):
        invitation = invitation_create(
            invited_by=owner_of(alpha), email="pending@example.com", role="staff", base_url="http://x/"
        )
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=Invitation.hash_token(TOKEN))
    return {"target": target, "invitation": invitation}


def url_for(name, data) -> str:
    kwargs = {
        "team:invitation_resend": {"invitation_id": data["invitation"].pk},
        "team:invitation_revoke": {"invitation_id": data["invitation"].pk},
        "team:user_role_change": {"user_id": data["target"].pk},
        "team:user_deactivate": {"user_id": data["target"].pk},
        "team:invitation_accept": {"token": TOKEN},
    }.get(name, {})
    return reverse(name, kwargs=kwargs)


def client_as(visitor, client_for, workspaces):
    alpha = workspaces.alpha
    if visitor == ANONYMOUS:
        return client_for(alpha)
    if visitor == OTHER_WORKSPACE:
        beta = client_for(workspaces.beta)
        assert sign_in(beta, "owner@beta.test").status_code == 302
        client = client_for(alpha)
        client.cookies["sessionid"] = beta.cookies["sessionid"].value
        return client
    user = owner_of(alpha) if visitor == OWNER else member(alpha, visitor, email=f"{visitor}@alpha.test")
    return signed_in(client_for, alpha, user)


def state(tenant):
    """What a refused request must leave as it was."""
    with in_schema(tenant):
        return (
            list(User.objects.order_by("pk").values_list("email", "role", "is_active")),
            list(
                Invitation.objects.order_by("pk").values_list(
                    "email", "token_hash", "revoked_at", "accepted_at"
                )
            ),
            list(
                AuditEvent.objects.exclude(action=AuditEvent.Action.SIGN_IN)
                .order_by("pk")
                .values_list("action", "target")
            ),
        )


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(
    ("name", "method", "data", "expected"), VIEWS, ids=[f"{view[0]}-{view[1]}" for view in VIEWS]
)
def test_role_table(client_for, workspaces, alpha_data, visitor, name, method, data, expected):
    client = client_as(visitor, client_for, workspaces)
    before = state(workspaces.alpha)

    response = getattr(client, method)(url_for(name, alpha_data), data)

    if expected[visitor] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected[visitor]
    if expected[visitor] in (403, LOGIN):
        assert state(workspaces.alpha) == before
