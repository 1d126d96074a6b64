"""Every endpoint of /api/v1/ with its methods and required permission, read from the URLconf and
the views themselves, so a new endpoint is covered by the table-driven tests without editing them."""

from dataclasses import dataclass

from api import urls


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    perm: object


def api_endpoints() -> list[Endpoint]:
    found = []
    for pattern in urls.v1:
        route = str(pattern.pattern)
        for part in route.split("/"):
            if part.startswith("<"):
                route = route.replace(part, "999999")
        view = pattern.callback.view_class
        for method, perm in view.required_perms.items():
            found.append(Endpoint("/api/v1/" + route, method, perm))
    assert found
    return found


ENDPOINTS = api_endpoints()
