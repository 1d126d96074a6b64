"""Errors about what a plan allows."""


class PlanLimitReached(Exception):
    """Creating one more of something would pass the workspace's plan limit."""

    code = "plan_limit_reached"

    def __init__(self, message):
        super().__init__(message)
        self.message = message
