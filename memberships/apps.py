from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipsConfig(AppConfig):
    name = "memberships"
    verbose_name = _("Memberships and class packs")

    def ready(self):
        # The academy asks "may this student check in?" through its registry; this app answers
        # with what the student bought (the academy never imports this app).
        from academy.admission import admission_policy_set  # noqa: PLC0415  (apps load before models)
        from memberships.services import EntitlementPolicy  # noqa: PLC0415

        admission_policy_set(EntitlementPolicy())
