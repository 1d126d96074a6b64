"""Domain errors of memberships and class packs (academy errors: one form message, one API error)."""

from django.utils.translation import gettext as _

from academy.exceptions import AcademyError


class MembershipError(AcademyError):
    code = "membership_error"


class InvalidOffer(MembershipError):
    code = "invalid_offer"


class OfferNotForSale(MembershipError):
    code = "offer_not_for_sale"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This offer is not for sale (inactive)."))


class TrialAlreadyGiven(MembershipError):
    code = "trial_already_used"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This student already had a trial class."))


class InvalidFreeze(MembershipError):
    code = "invalid_freeze"
