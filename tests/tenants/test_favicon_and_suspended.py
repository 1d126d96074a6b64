"""/favicon.ico answers everywhere (public site, workspace, suspended workspace), and a suspended
workspace's page can still load its logo (the branding files pass the suspension)."""

from django.urls import reverse


def test_favicon_answers_on_the_public_site_a_workspace_and_a_suspended_one(client_for, workspaces):
    for tenant in (None, workspaces.alpha, workspaces.suspended):
        response = client_for(tenant).get("/favicon.ico")
        assert response.status_code == 302, tenant
        assert response["Location"].endswith("favicon.ico")


def test_a_suspended_workspace_still_serves_its_logo_file(client_for, workspaces):
    tenant = workspaces.suspended
    url = reverse(
        "branding:file",
        kwargs={"schema": tenant.schema_name, "file_name": "logo.png"},
        urlconf="config.urls_tenants",
    )

    logo = client_for(tenant).get(url)
    page = client_for(tenant).get("/")

    assert page.status_code == 403 and b'data-testid="workspace-suspended"' in page.content
    assert logo.status_code == 404  # past the suspension: no such file, not "suspended"
