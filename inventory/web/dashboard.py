"""The dashboard (seed 001): today's money (for roles that see the balance), the catalogue, the
products running lowest, the latest sales and 30 days of sales as server-drawn SVG bars."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import Perm, has_perm, permission_required_view
from inventory.exceptions import NotFound
from inventory.selectors import DaySales, dashboard_get, location_get, location_list, product_list_recent
from inventory.web.first_steps import first_steps

CHART_WIDTH = 300
CHART_HEIGHT = 120
CHART_GAP = 2


@dataclass(frozen=True)
class ChartBar:
    day: DaySales
    x: float
    y: float
    width: float
    height: float


def chart_bars(series: list[DaySales], *, by_money: bool) -> list[ChartBar]:
    """One bar per day, scaled to the busiest day (money for balance viewers, else sale counts)."""
    values = [(day.total if by_money else Decimal(day.count)) for day in series]
    peak = max(values, default=Decimal(0)) or Decimal(1)
    slot = CHART_WIDTH / max(len(series), 1)
    bars = []
    for index, (day, value) in enumerate(zip(series, values, strict=True)):
        height = float(value / peak) * (CHART_HEIGHT - 4) if value else 0.0
        bars.append(
            ChartBar(
                day=day,
                x=round(index * slot + CHART_GAP / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(slot - CHART_GAP, 2),
                height=round(height, 2),
            )
        )
    return bars


# Panels that apps above inventory add to the dashboard (orders: its figures), registered when
# Django starts: ``panel(request=..., location=...)`` returns ``{"template": ..., ...}`` or None.
_panels: list[Callable[..., dict | None]] = []


def dashboard_panel_register(panel: Callable[..., dict | None]) -> None:
    if panel not in _panels:
        _panels.append(panel)


@permission_required_view(Perm.RECORD_SALES)
@require_GET
def home(request):
    """The workspace home: today at a glance, for the whole business or one location."""
    location = None
    location_id = request.GET.get("location")
    if location_id:
        try:
            location = location_get(location_id=location_id, user=request.user)
        except NotFound as missing:
            raise Http404(str(missing)) from None
    dashboard = dashboard_get(location=location)
    sees_money = has_perm(request.user, Perm.VIEW_BALANCE)
    return render(
        request,
        "workspace/home.html",
        {
            "dashboard": dashboard,
            "figures": dashboard.figures,
            "sees_money": sees_money,
            "locations": list(location_list()),
            "chart_bars": chart_bars(dashboard.sales_per_day, by_money=sees_money),
            "chart_width": CHART_WIDTH,
            "chart_height": CHART_HEIGHT,
            "can_sell": has_perm(request.user, Perm.RECORD_SALES),
            "recent_products": product_list_recent(),
            "first_steps": first_steps(request.user),
            "panels": [panel for panel in (p(request=request, location=location) for p in _panels) if panel],
        },
    )
