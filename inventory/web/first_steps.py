"""The first steps a new workspace's dashboard offers its owners and admins: add or import
products, set up the point of sale (a first sale), invite the team, set the brand. Each is ticked
from what the workspace holds, so there is nothing to mark by hand."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import Perm, has_perm
from branding.selectors import branding_get
from inventory.models import Product, Sale
from inventory.web.catalogue import Action


@dataclass(frozen=True)
class FirstStep:
    key: str
    label: str
    done: bool
    actions: list[Action]


def first_steps(user) -> list[FirstStep]:
    """The steps for ``user`` (those their role can take), or [] when every one is done."""
    if not has_perm(user, Perm.MANAGE_PRODUCTS):
        return []
    branding = branding_get()
    steps = [
        FirstStep(
            "products",
            _("Add your products, or import the spreadsheet you already have"),
            Product.objects.exists(),
            [
                Action(_("New product"), reverse("workspace:product_create")),
                *(
                    [Action(_("Import"), reverse("workspace:import_list"))]
                    if has_perm(user, Perm.IMPORT_DATA)
                    else []
                ),
            ],
        ),
        FirstStep(
            "pos",
            _("Set up the point of sale: check your locations and record a first sale"),
            Sale.objects.exists(),
            [
                Action(_("Locations"), reverse("workspace:location_list")),
                Action(_("Point of sale"), reverse("workspace:sale_pos")),
            ],
        ),
    ]
    if has_perm(user, Perm.INVITE_USERS):
        steps.append(
            FirstStep(
                "team",
                _("Invite your team"),
                User.objects.filter(is_active=True).count() > 1,
                [Action(_("Team"), reverse("team:team"))],
            )
        )
    if has_perm(user, Perm.MANAGE_BRANDING):
        steps.append(
            FirstStep(
                "brand",
                _("Put your logo and colours"),
                bool(branding.pk and (branding.logo or branding.primary_colour or branding.commercial_name)),
                [Action(_("Branding"), reverse("branding:edit"))],
            )
        )
    return [] if all(step.done for step in steps) else steps
