"""The one walk the academy-side isolation tests share (academy, memberships, fees): every route
against the role table, and what another workspace's owner finds."""

from tests.customers.fixtures import is_login_redirect


def url_of(pattern: str, objects: dict) -> str:
    """``/academy/classes/{class}/`` with the object's id in place of ``{class}``."""
    return pattern.format(**{key: value.pk for key, value in objects.items()})


def assert_follows_the_role_table(*, anonymous, signed_in: dict, send, allowed: set, snapshot=lambda: None):
    """An anonymous visitor is sent to sign in; each role in ``allowed`` gets the page (or its
    redirect), every other role a 403 that changes nothing ``snapshot`` can see.

    ``signed_in`` maps a role to a client signed in with it; ``send(client)`` makes the request.
    """
    assert is_login_redirect(send(anonymous))
    for role, client in signed_in.items():
        before = snapshot()
        response = send(client)
        if role in allowed:
            assert response.status_code in (200, 302), (role, response.status_code)
            assert not is_login_redirect(response)
        else:
            assert response.status_code == 403, (role, response.status_code)
            assert snapshot() == before, role


def assert_another_workspace_finds_nothing(response, *, pattern: str, hidden: str) -> None:
    """A route naming one of this workspace's objects is a 404 elsewhere; a list answers but never
    shows ``hidden`` (a name from this workspace)."""
    if "{" in pattern:
        assert response.status_code == 404, response.status_code
    else:
        assert response.status_code == 200
        assert hidden not in response.text
