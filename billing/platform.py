"""The super-admin's platform page: workspaces by status, trial-to-paid, MRR (at list prices and
from the Stripe subscriptions), churn and signups per week.

Business workspaces only: the public schema and the template schema are never counted.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from billing.selectors import SubscriptionChurn, SubscriptionMrrLine, subscription_churn, subscription_mrr
from plans.models import PlanPrice
from tenants.models import Tenant, TenantEvent
from tenants.platform_stats import business_tenants

Status = Tenant.Status

CONVERSION_AFTER = timedelta(days=14)
CHURN_WINDOW = timedelta(days=30)
SIGNUP_WEEKS = 12


# --- The platform page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return None if not self.denominator else round(100 * self.numerator / self.denominator, 1)


@dataclass(frozen=True)
class MrrLine:
    plan_name: str
    currency: str
    tenants: int
    # None when the plan has no price in that currency (shown as missing, never as zero).
    monthly_price: Decimal | None

    @property
    def mrr(self) -> Decimal | None:
        return None if self.monthly_price is None else self.monthly_price * self.tenants


@dataclass(frozen=True)
class WeekSignups:
    week_start: date
    count: int


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    week: WeekSignups


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float
    week_label_y: float
    bars: list[Bar]
    max_count: int


@dataclass(frozen=True)
class PlatformFigures:
    now: datetime
    active: int
    in_trial: int
    trial_expired: int
    suspended: int
    conversion: Ratio
    mrr_lines: list[MrrLine]
    mrr_totals: dict[str, Decimal]
    churn: Ratio
    signups: list[WeekSignups]
    chart: BarChart
    # From the Stripe subscriptions themselves (billing), what is really charged.
    subscription_mrr_lines: list[SubscriptionMrrLine]
    subscription_mrr_totals: dict[str, Decimal]
    subscription_churn: SubscriptionChurn


def mrr_by_plan() -> tuple[list[MrrLine], dict[str, Decimal]]:
    """Monthly recurring revenue of active workspaces: per plan and currency, and per currency.

    Each workspace pays its plan's price in its own currency (two queries).
    """
    groups = list(
        business_tenants()
        .filter(status=Status.ACTIVE, plan__isnull=False)
        .values("plan_id", "plan__name", "plan__rank", "currency")
        .annotate(tenants=Count("pk"))
        .order_by("plan__rank", "currency")
    )
    prices = {
        (price.plan_id, price.currency): price.monthly_amount
        for price in PlanPrice.objects.filter(plan_id__in={group["plan_id"] for group in groups})
    }
    lines = [
        MrrLine(
            plan_name=group["plan__name"],
            currency=group["currency"],
            tenants=group["tenants"],
            monthly_price=prices.get((group["plan_id"], group["currency"])),
        )
        for group in groups
    ]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.mrr is not None:
            totals[line.currency] += line.mrr
    return lines, dict(sorted(totals.items()))


def churn(*, now: datetime) -> Ratio:
    """Workspaces active at the start of the window that were suspended or closed within it.

    The status at the start is read back from the status events (each carries "from" and "to"):
    the "from" of a workspace's first change in the window, else its status now. Workspaces
    purged since then count too (their events keep ``tenant_ref``).
    """
    start = now - CHURN_WINDOW
    events = (
        TenantEvent.objects.filter(created_at__gt=start, created_at__lte=now, data__has_key="from")
        .order_by("created_at", "id")
        .values_list("tenant_ref", "data")
    )
    status_at_start: dict[int, str] = {}
    lost: set[int] = set()
    for tenant_ref, data in events:
        status_at_start.setdefault(tenant_ref, data["from"])
        if data.get("to") in (Status.SUSPENDED, Status.CLOSED):
            lost.add(tenant_ref)
    existing_at_start = dict(business_tenants().filter(created_at__lte=start).values_list("pk", "status"))
    existing_later = set(
        business_tenants().filter(pk__in=status_at_start, created_at__gt=start).values_list("pk", flat=True)
    )
    active_at_start = {
        pk for pk, status in existing_at_start.items() if status_at_start.get(pk, status) == Status.ACTIVE
    }
    # Workspaces that no longer exist (purged): only their events tell.
    active_at_start |= {
        ref
        for ref, status in status_at_start.items()
        if status == Status.ACTIVE and ref not in existing_at_start and ref not in existing_later
    }
    return Ratio(numerator=len(lost & active_at_start), denominator=len(active_at_start))


def signups_per_week(*, now: datetime, weeks: int = SIGNUP_WEEKS) -> list[WeekSignups]:
    """Workspaces created per week (Monday to Sunday, current time zone), oldest first."""
    today = timezone.localdate(now)
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first_monday, time.min))
    counts = {
        row["week"].date(): row["count"]
        for row in business_tenants()
        .filter(created_at__gte=since, created_at__lte=now)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(count=Count("pk"))
    }
    return [
        WeekSignups(week_start=monday, count=counts.get(monday, 0))
        for monday in (first_monday + timedelta(weeks=i) for i in range(weeks))
    ]


def bar_chart(weeks: list[WeekSignups], *, width: int = 600, height: int = 200) -> BarChart:
    """Geometry of an SVG bar chart (drawn by the template, no JavaScript)."""
    top, bottom = 20, 24  # room for the count above a bar and the week below
    baseline = height - bottom
    usable = baseline - top
    slot = width / max(len(weeks), 1)
    bar_width = slot * 0.7
    max_count = max((week.count for week in weeks), default=0)
    bars = []
    for i, week in enumerate(weeks):
        bar_height = 0 if not max_count else usable * week.count / max_count
        x = i * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(baseline - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
                label_x=round(x + bar_width / 2, 1),
                label_y=round(baseline - bar_height - 4, 1),
                week=week,
            )
        )
    return BarChart(
        width=width, height=height, baseline=baseline, week_label_y=height - 6, bars=bars, max_count=max_count
    )


def platform_figures(*, now: datetime | None = None) -> PlatformFigures:
    """Everything the platform page shows, in a handful of queries."""
    now = now or timezone.now()
    cohort_cutoff = now - CONVERSION_AFTER
    counts = business_tenants().aggregate(
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
        in_trial=Count("pk", filter=Q(status=Status.TRIAL)),
        trial_expired=Count("pk", filter=Q(status=Status.TRIAL_EXPIRED)),
        suspended=Count("pk", filter=Q(status=Status.SUSPENDED)),
        cohort=Count("pk", filter=Q(created_at__lt=cohort_cutoff)),
        converted=Count("pk", filter=Q(created_at__lt=cohort_cutoff, status=Status.ACTIVE)),
    )
    lines, totals = mrr_by_plan()
    subscription_lines, subscription_totals = subscription_mrr()
    weeks = signups_per_week(now=now)
    return PlatformFigures(
        now=now,
        active=counts["active"],
        in_trial=counts["in_trial"],
        trial_expired=counts["trial_expired"],
        suspended=counts["suspended"],
        conversion=Ratio(numerator=counts["converted"], denominator=counts["cohort"]),
        mrr_lines=lines,
        mrr_totals=totals,
        churn=churn(now=now),
        signups=weeks,
        chart=bar_chart(weeks),
        subscription_mrr_lines=subscription_lines,
        subscription_mrr_totals=subscription_totals,
        subscription_churn=subscription_churn(now=now),
    )
