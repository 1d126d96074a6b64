"""Shared plumbing of the catalogue, stock and purchasing screens (catalogue_*.py): ids resolved
through selectors (404 for missing and forbidden alike), domain errors turned into form errors or
messages in the user's language, and the generic list page.

Every error a service may raise is handled here, once: inventory.exceptions.InventoryError and
billing's PlanLimitReached carry a translated ``message``; ValidationError is put on the form's
fields. A refused write leaves nothing saved (the services own their transactions).
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from inventory.exceptions import InventoryError, NotFound
from inventory.web.forms_catalogue import validation_error_to_form
from inventory.web.listing import Listing
from plans.exceptions import PlanLimitReached

DOMAIN_ERRORS = (InventoryError, PlanLimitReached)


def get_or_404(selector: Callable, **kwargs):
    """Call a ``*_get`` selector; its NotFound (missing, another workspace's, or not the user's to
    see) becomes a 404."""
    try:
        return selector(**kwargs)
    except NotFound as error:
        raise Http404(str(error)) from error


class Refused(Exception):
    """Raised by ``form_errors`` after it put a domain error on the form."""


@contextmanager
def form_errors(form):
    """Run a service; its domain errors go onto ``form`` (per field for ValidationError) and the
    block is left with ``Refused``, which the caller catches to show the form again."""
    try:
        yield
    except ValidationError as error:
        validation_error_to_form(form, error)
        raise Refused() from error
    except DOMAIN_ERRORS as error:
        form.add_error(None, str(error.message))
        raise Refused() from error


def message_errors(request, action: Callable) -> bool:
    """Run ``action()`` (a one-click step: send, receive, cancel...); a domain error becomes an
    error message. True when it went through."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    except DOMAIN_ERRORS as error:
        messages.error(request, str(error.message))
        return False
    return True


@dataclass(frozen=True)
class Action:
    label: str
    url: str


def list_page(
    request,
    *,
    title,
    listing: Listing,
    filter_form=None,
    actions: list[Action] | None = None,
    search_placeholder="",
    template="inventory/catalogue/list.html",
    extra: dict | None = None,
):
    """The generic list screen (or the export, when one was asked for)."""
    if listing.export is not None:
        return listing.export
    context = {
        "title": title,
        "listing": listing,
        "filter_form": filter_form,
        "actions": actions or [],
        "search_placeholder": search_placeholder,
        **(extra or {}),
    }
    return render(request, template, context)


def form_page(
    request, *, title, form, back_url="", formset=None, status=200, template="inventory/catalogue/form.html"
):
    return render(
        request,
        template,
        {"title": title, "form": form, "formset": formset, "back_url": back_url},
        status=status,
    )


def filter_form(form_class, request, **kwargs):
    """``form_class`` bound to the query string when it carries any of the form's own fields;
    unbound otherwise, so its initial values (e.g. "active: yes") apply to a bare list URL and to
    links that only add ``q``, ``sort``, ``page`` or ``export``."""
    form = form_class(**kwargs)
    if any(name in request.GET for name in form.fields):
        form = form_class(request.GET, **kwargs)
    return form


def filters_of(form) -> dict:
    """The valid filters of a GET form (invalid ones show their errors and are ignored); the
    initial values of an unbound one."""
    if not form.is_bound:
        return {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    form.is_valid()
    return getattr(form, "cleaned_data", {})
