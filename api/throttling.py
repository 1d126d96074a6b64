"""Requests per minute from the workspace's plan (Plan.api_requests_per_minute), per token or user.

Counters live in the cache, whose keys carry the schema name (django_tenants.cache.make_key), so
workspaces never share a counter.
"""

from rest_framework.throttling import SimpleRateThrottle


class PlanRateThrottle(SimpleRateThrottle):
    scope = "plan"

    def get_rate(self):
        # The rate depends on the request (its workspace's plan): set in allow_request.
        return None

    def allow_request(self, request, view):
        plan = getattr(getattr(request, "tenant", None), "plan", None)
        if plan is None or not request.user or not request.user.is_authenticated:
            return True
        self.rate = f"{plan.api_requests_per_minute}/min"
        self.num_requests, self.duration = plan.api_requests_per_minute, 60
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        token = request.auth
        ident = f"token-{token.pk}" if getattr(token, "pk", None) else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
