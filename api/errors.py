"""The one place where errors become API answers: ``{"detail": ..., "code": ...}`` (plus ``fields``
for per-field problems), in the caller's language, from DRF's own exceptions and from the domain
exceptions of inventory, accounts, billing, forecasts and this app."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from academy.exceptions import (
    AcademyError,
    AcademyNotFound,
    AlreadyEnrolled,
    ClassFull,
    ScheduleConflict,
    SessionNotOpen,
    TrialAlreadyUsed,
)
from accounts.exceptions import TeamError
from api.exceptions import ApiError
from billing.exceptions import BillingError
from customers.exceptions import CustomerError, CustomerNotFound, DuplicateCustomer
from forecasts.exceptions import ForecastError
from inventory.exceptions import (
    InsufficientStock,
    InvalidStatus,
    InventoryError,
    NegativeStockExists,
    NotFound,
    OverReceipt,
    QuoteExpired,
    ReturnExceedsSale,
    SaleNotVoidable,
)
from messaging.exceptions import ConversationNotFound, MessagingError, NoConsent, OutsideWindow
from orders.exceptions import InvalidTransition, OrderError, OrderingClosed, OrderNotFound
from payments.exceptions import PaymentsError, PaymentsNotFound, ProviderUnavailable
from plans.exceptions import PlanLimitReached

# Domain errors that say "the state of things does not allow it" rather than "bad input".
CONFLICTS = (InsufficientStock, InvalidStatus, SaleNotVoidable, ReturnExceedsSale, QuoteExpired, OverReceipt)


def _plain(detail):
    """ErrorDetail trees as plain lists/dicts of strings."""
    if isinstance(detail, dict):
        return {key: _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(item) for item in detail]
    return str(detail)


def _answer(detail, code: str, http_status: int, *, fields=None, headers=None) -> Response:
    body = {"detail": str(detail), "code": code}
    if fields:
        body["fields"] = fields
    return Response(body, status=http_status, headers=headers)


ACADEMY_CONFLICTS = (
    AlreadyEnrolled,
    ClassFull,
    ScheduleConflict,
    SessionNotOpen,
    TrialAlreadyUsed,
    DuplicateCustomer,
)


def api_exception_handler(exc, context):
    if isinstance(
        exc,
        NotFound
        | AcademyNotFound
        | CustomerNotFound
        | OrderNotFound
        | PaymentsNotFound
        | ConversationNotFound,
    ):
        return _answer(exc.message, exc.code, status.HTTP_404_NOT_FOUND)
    if isinstance(exc, OutsideWindow | NoConsent):  # the state of the conversation, not the input
        return _answer(exc.message, exc.code, status.HTTP_409_CONFLICT)
    if isinstance(exc, MessagingError):
        return _answer(exc.message, exc.code, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return _answer(_("Not found."), "not_found", status.HTTP_404_NOT_FOUND)
    if isinstance(exc, CONFLICTS + (NegativeStockExists,)):
        return _answer(exc.message, exc.code, status.HTTP_409_CONFLICT)
    if isinstance(exc, ForecastError):  # e.g. nothing left to order: the state of things
        return _answer(str(exc), exc.code, status.HTTP_409_CONFLICT)
    if isinstance(exc, ACADEMY_CONFLICTS):
        return _answer(exc.message, exc.code, status.HTTP_409_CONFLICT)
    if isinstance(exc, InvalidTransition | OrderingClosed):
        return _answer(exc.message, exc.code, status.HTTP_409_CONFLICT)
    if isinstance(exc, InventoryError | TeamError | BillingError | AcademyError | CustomerError | OrderError):
        return _answer(exc.message, exc.code, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProviderUnavailable):
        return _answer(exc.message, exc.code, status.HTTP_502_BAD_GATEWAY)
    if isinstance(exc, PaymentsError):
        return _answer(exc.message, exc.code, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PlanLimitReached):
        return _answer(exc.message, exc.code, status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ApiError):
        return _answer(exc.message, exc.code, exc.status)
    if isinstance(exc, DjangoPermissionDenied):
        return _answer(
            _("You do not have permission to perform this action."),
            "permission_denied",
            status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, DjangoValidationError):
        fields = (
            {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        return _answer(_("Invalid input."), "invalid", status.HTTP_400_BAD_REQUEST, fields=fields)
    if isinstance(exc, exceptions.ValidationError):
        fields = _plain(exc.detail)
        if isinstance(fields, list):
            fields = {"non_field_errors": fields}
        return _answer(_("Invalid input."), "invalid", status.HTTP_400_BAD_REQUEST, fields=fields)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
        detail = exc.detail
        code = detail.code if hasattr(detail, "code") else exc.default_code
        return _answer(detail, code, exc.status_code, headers=headers)
    return None


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {}},
    },
    "required": ["detail", "code"],
}
ERROR_STATUSES = {
    "400": "Invalid input or a refused operation.",
    "401": "Not signed in (no valid token or session on this workspace).",
    "403": "The plan or the role does not allow it.",
    "404": "Not found.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "409": "The state of things does not allow it.",
    "415": "Unsupported media type.",
    "422": "Idempotency-Key reused with another request.",
    "429": "Too many requests (see Retry-After).",
    "502": "The payment provider refused the call or could not be reached.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation documents the error body for the error statuses."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
