"""The "API tokens" page: a member creates a token (shown once), sees it listed, revokes it."""

from api.models import ApiToken
from tests.conftest import host_of


def test_a_member_creates_sees_once_and_revokes_a_token(client_for, team, alpha):
    client = client_for(alpha)
    client.force_login(team["staff"])
    created = client.post("/api/tokens/", {"name": "Caja 1"}, HTTP_HOST=host_of(alpha))
    assert created.status_code == 201
    token = ApiToken.objects.get(user=team["staff"], name="Caja 1")
    raw = created.context["created_raw"]
    assert ApiToken.hash_key(raw) == token.key_hash and raw.encode() in created.content
    listed = client.get("/api/tokens/")
    assert listed.status_code == 200 and raw.encode() not in listed.content and b"Caja 1" in listed.content
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_another_members_token_is_not_revoked_from_the_page(client_for, team, alpha):
    from api.services import api_token_create

    token, _raw = api_token_create(user=team["owner"], name="owner's")
    client = client_for(alpha)
    client.force_login(team["staff"])
    client.post(f"/api/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
