"""What each plan's branding level allows (seed 004's table).

| level       | name, logo | primary, secondary colours, favicon | accent colour, white label |
| none        |            |                                     |                            |
| logo        | yes        |                                     |                            |
| colours     | yes        | yes                                 |                            |
| white_label | yes        | yes                                 | yes                        |

The settings are kept whatever the plan: a downgrade only stops applying what the new level
lacks, and an upgrade brings it back.
"""

from enum import StrEnum

from plans.models import Plan

Level = Plan.BrandingLevel
LEVEL_ORDER = (Level.NONE, Level.LOGO, Level.COLOURS, Level.WHITE_LABEL)


class Feature(StrEnum):
    NAME = "name"
    LOGO = "logo"
    FAVICON = "favicon"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ACCENT = "accent"
    WHITE_LABEL = "white_label"


FEATURE_LEVEL = {
    Feature.NAME: Level.LOGO,
    Feature.LOGO: Level.LOGO,
    Feature.FAVICON: Level.COLOURS,
    Feature.PRIMARY: Level.COLOURS,
    Feature.SECONDARY: Level.COLOURS,
    Feature.ACCENT: Level.WHITE_LABEL,
    Feature.WHITE_LABEL: Level.WHITE_LABEL,
}


def _rank(level: str) -> int:
    try:
        return LEVEL_ORDER.index(level)
    except ValueError:
        return 0  # an unknown level allows nothing


def plan_level(plan: Plan | None) -> str:
    return plan.branding_level if plan is not None else Level.NONE


def level_allows(level: str, feature: Feature) -> bool:
    return _rank(level) >= _rank(FEATURE_LEVEL[feature])


def allowed_features(level: str) -> frozenset[Feature]:
    return frozenset(feature for feature in Feature if level_allows(level, feature))


def plan_offering(feature: Feature) -> Plan | None:
    """The cheapest public plan whose level includes ``feature`` (the way up to offer)."""
    needed = _rank(FEATURE_LEVEL[feature])
    levels = [level for level in LEVEL_ORDER if _rank(level) >= needed]
    return Plan.objects.filter(is_public=True, branding_level__in=levels).order_by("rank").first()
