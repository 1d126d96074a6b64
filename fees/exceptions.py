"""Domain errors of tuition and family accounts (academy errors: one form message, one API error)."""

from academy.exceptions import AcademyError


class FeesError(AcademyError):
    code = "fees_error"


class InvalidAmount(FeesError):
    code = "invalid_amount"


class AllocationTooLarge(FeesError):
    code = "allocation_too_large"
