"""The client's address behind the shipped proxy: limits and the audit log key on the person's
device, which a client cannot forge, and never on the proxy every user shares."""

import pytest
from django.test import RequestFactory, override_settings

from core.http import client_ip

PROXY = "172.18.0.5"


def request_from(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_connecting_address_counts_whatever_the_header_says():
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["172.16.0.0/12"])
def test_behind_our_proxy_the_client_is_the_address_it_appended():
    assert client_ip(request_from(PROXY, "198.51.100.23")) == "198.51.100.23"


@override_settings(TRUSTED_PROXIES=["172.16.0.0/12"])
def test_a_forged_header_is_to_the_left_of_what_our_proxy_appended_and_is_ignored():
    # The client sent "X-Forwarded-For: 10.9.9.9"; Caddy appended the real address after it.
    assert client_ip(request_from(PROXY, "10.9.9.9, 198.51.100.23")) == "198.51.100.23"


@override_settings(TRUSTED_PROXIES=["172.16.0.0/12"])
def test_a_request_that_does_not_come_through_our_proxy_cannot_choose_its_address():
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["172.16.0.0/12"])
@pytest.mark.parametrize("garbage", ["", "not-an-address", "999.1.1.1"])
def test_garbage_in_the_header_falls_back_to_the_proxy_never_to_the_garbage(garbage):
    assert client_ip(request_from(PROXY, garbage)) == PROXY


@override_settings(
    TRUSTED_PROXIES=["172.16.0.0/12"], ACCOUNT_RATE_LIMITS={"login_failed": None, "login": "3/m/ip"}
)
def test_one_client_hitting_the_sign_in_limit_behind_the_proxy_does_not_lock_out_the_others(
    db, workspaces, client_for
):
    def attempt(address):
        client = client_for(workspaces.alpha)
        return client.post(
            "/accounts/login/",
            {"login": "owner@alpha.test", "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )

    noisy = [attempt("198.51.100.1").status_code for _ in range(4)]
    neighbour = attempt("198.51.100.2")

    assert noisy[-1] == 429
    assert neighbour.status_code != 429
