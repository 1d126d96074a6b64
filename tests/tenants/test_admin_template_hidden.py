"""The template workspace new workspaces are cloned from is no business: the super-admin's list
and its actions never show or touch it."""

from tenants.models import Tenant
from tests.tenants.test_superadmin import act, admin_client  # noqa: F401  (the admin_client fixture)


def test_the_template_workspace_is_out_of_the_list_and_the_actions(admin_client, workspaces):  # noqa: F811
    template = Tenant.objects.get(status=Tenant.Status.TEMPLATE)

    listed = admin_client.get("/admin/tenants/tenant/").content.decode()
    act(admin_client, "suspend", template)

    assert template.slug not in listed and "Alpha SRL" in listed
    assert Tenant.objects.get(pk=template.pk).status == Tenant.Status.TEMPLATE
    assert admin_client.get(f"/admin/tenants/tenant/{template.pk}/change/").status_code in (302, 404)
