"""Redis (the broker) unreachable for real (a closed port, not a stub): each request that needs
it answers a clear refusal within two seconds, and nothing is left waiting for a worker.

- public sign-in links: 503 with Retry-After and a page saying so;
- signup: the workspace is created (unconfirmed) and its address offers to send the email again;
- asking again for the confirmation email: 503 with the reason;
- a forecast run asked for: failed with the reason (never left "queued").
"""

import time

import pytest

from config.celery import app as celery_app
from forecasts.models import ForecastRun
from forecasts.services import forecast_run_request
from tenants.models import Tenant
from tests.conftest import in_schema
from tests.forecasts.test_views import on_plan
from tests.tenants.human import signup_post
from tests.tenants.test_signup import VALID

LIMIT_SECONDS = 2.0


def _drop_pools():
    celery_app._after_fork()  # forget pooled connections and producers (the app rebuilds them)


@pytest.fixture
def broker_unreachable():
    saved = celery_app.conf.broker_url
    _drop_pools()
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens there
    try:
        yield
    finally:
        celery_app.conf.broker_url = saved
        _drop_pools()


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def test_sign_in_links_answer_503_at_once(client_for, workspaces, broker_unreachable):
    response, seconds = timed(lambda: client_for(None).post("/signin/", {"email": "owner@alpha.test"}))

    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert 'data-testid="sign-in-unavailable"' in response.text
    assert seconds < LIMIT_SECONDS, seconds


def test_signup_without_broker_leaves_a_workspace_that_offers_the_email_again(
    client_for, workspaces, broker_unreachable, django_capture_on_commit_callbacks
):
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = timed(lambda: signup_post(client, VALID, REMOTE_ADDR="203.0.113.8"))

    assert response.status_code == 302 and seconds < LIMIT_SECONDS + 1, seconds  # + solving the challenge
    tenant = Tenant.objects.get(slug="la-espiga")
    assert tenant.status == Tenant.Status.UNCONFIRMED
    workspace = client_for(tenant)
    resend, seconds = timed(lambda: workspace.post("/confirm/resend/"))
    assert resend.status_code == 503 and "No se pudo enviar el correo" in resend.text
    assert seconds < LIMIT_SECONDS, seconds


def test_a_forecast_run_the_broker_refuses_fails_with_the_reason(
    db, workspaces, broker_unreachable, django_capture_on_commit_callbacks
):
    on_plan(workspaces.alpha, forecasts=True)
    with in_schema(workspaces.alpha):
        with django_capture_on_commit_callbacks(execute=True):
            run, seconds = timed(lambda: forecast_run_request(user=None))
        run.refresh_from_db()

        assert run.status == ForecastRun.Status.FAILED and "No se pudo llegar" in run.error
        assert seconds < LIMIT_SECONDS, seconds
        assert not ForecastRun.objects.filter(status__in=ForecastRun.ACTIVE_STATUSES).exists()
