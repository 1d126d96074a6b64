"""Signing up in tests: the proof of a human is solved for real, as the browser's widget does.

``signup_post`` reads the challenge the signup page carries, solves it with the altcha library
(the same proof of work, made light by ALTCHA_COST in the test settings) and posts it with the
form; nothing in the product skips the check.
"""

import html
import json
import re

from altcha import Challenge, Payload, solve_challenge

CHALLENGE_RE = re.compile(r'<altcha-widget name="altcha" challenge="([^"]+)"')


def altcha_solve(page_html: str) -> str:
    """The payload that solves the challenge on ``page_html``."""
    match = CHALLENGE_RE.search(page_html)
    assert match, "the signup page carries no ALTCHA challenge"
    challenge = Challenge.from_dict(json.loads(html.unescape(match.group(1))))
    solution = solve_challenge(challenge)
    assert solution is not None
    return Payload(challenge, solution).to_base64()


def signup_post(client, data: dict, **extra):
    """GET the signup page, solve its challenge, POST ``data`` with the solution."""
    page = client.get("/signup/", **extra)
    return client.post("/signup/", {**data, "altcha": altcha_solve(page.content.decode())}, **extra)
