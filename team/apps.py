from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    """A workspace's team: invitations, roles, deactivation, one-time sign-in links."""

    name = "team"
    verbose_name = _("Team")

    def ready(self):
        # Plans (public) count a workspace's seats through this counter (users + open invitations).
        from accounts.selectors import team_seats_taken  # imports models: not at the top
        from plans.usage import usage_counter_register

        usage_counter_register("users", team_seats_taken)
