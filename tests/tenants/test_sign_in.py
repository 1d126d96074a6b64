"""The public site's "Sign in": an email gets a one-time link to each of its workspaces; the page
answers the same whether or not the email belongs anywhere, and requests are rate-limited."""

import re

from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.services import user_create
from tenants.sign_in import LIMITS, sign_in_links_send
from tests.conftest import PASSWORD, in_schema


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_the_public_site_links_to_sign_in(client_for):
    assert 'href="/signin/"' in client_for(None).get("/").content.decode()


def test_the_answer_is_the_same_for_a_member_and_a_stranger(client_for, workspaces):
    member = client_for(None).post("/signin/", {"email": "owner@alpha.test"})
    stranger = client_for(None).post("/signin/", {"email": "nadie@example.com"})

    assert member.status_code == stranger.status_code == 200
    assert 'data-testid="sign-in-sent"' in member.content.decode()
    assert without_tokens(member.content.decode()) == without_tokens(stranger.content.decode())


def test_one_email_carries_a_working_link_to_each_workspace(db, workspaces, client_for):
    with in_schema(workspaces.beta):
        user_create(email="owner@alpha.test", password=PASSWORD, role=User.Role.ADMIN)

    assert sign_in_links_send("Owner@Alpha.test") == 2
    assert sign_in_links_send("nadie@example.com") == 0

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner@alpha.test"]
    body = mail.outbox[0].body
    links = [word for word in body.split() if "/team/welcome/" in word]
    assert len(links) == 2 and "Alpha SRL" in body and "Beta SRL" in body
    alpha_link = next(link for link in links if "alpha." in link)
    landed = client_for(workspaces.alpha).get(
        alpha_link.split("localhost", 1)[-1].split(":", 1)[-1].lstrip("0123456789")
    )
    assert landed.status_code == 302


def test_requests_past_the_limit_are_refused(client_for, workspaces):
    client = Client(HTTP_HOST=client_for(None).defaults["HTTP_HOST"], REMOTE_ADDR="198.51.100.9")
    limit = LIMITS["email"][0]
    answers = [client.post("/signin/", {"email": "owner@alpha.test"}).status_code for _ in range(limit + 1)]

    assert answers == [200] * limit + [429]
