"""Tuition screens: family accounts and their statements, recording a payment (the front desk),
receipts, credit notes, the overdue list, class fees and the monthly run (owners and admins)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.exceptions import AcademyError, AcademyNotFound
from academy.models import AcademyClass
from accounts.permissions import Perm, has_perm, permission_required_view
from customers.models import Customer
from fees import selectors
from fees.emails import unsubscribe_payer_id
from fees.forms import CreditNoteForm, FeeSettingsForm, PaymentForm, RunForm
from fees.models import Charge, Payment, TuitionRun
from fees.services import (
    class_fee_set,
    credit_note_create,
    fee_settings,
    fee_settings_update,
    payment_record,
    reminder_opt_out,
    tuition_run,
)
from inventory.exceptions import InventoryError

ERRORS = (AcademyError, InventoryError, ValidationError)


def _get(selector, **kwargs):
    try:
        return selector(**kwargs)
    except AcademyNotFound as missing:
        raise Http404(str(missing)) from None


@permission_required_view(Perm.RECORD_PAYMENTS)
def account_list_view(request):
    """What each family owes (the total across families is the books': money permission)."""
    balances = selectors.account_balances()
    total = (
        sum((row.balance for row in balances), Decimal(0))
        if has_perm(request.user, Perm.VIEW_MONEY)
        else None
    )
    return render(request, "fees/accounts.html", {"balances": balances, "total": total})


@permission_required_view(Perm.RECORD_PAYMENTS)
def account_view(request, kind: str, account_id: int):
    """A family's statement with its running balance, its unpaid charges and a payment form."""
    account = _get(selectors.account_get, kind=kind, account_id=account_id, user=request.user)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_record(account=account, user=request.user, **form.cleaned_data)
        except ERRORS as error:
            form.add_error(None, str(getattr(error, "message", error)))
        else:
            messages.success(request, _("Payment recorded: receipt %(number)s.") % {"number": payment.number})
            return redirect("fees:receipt", number=payment.number)
    return render(
        request,
        "fees/account.html",
        {
            "account": account,
            "kind": kind,
            "account_id": account_id,
            "lines": selectors.account_statement(account=account),
            "open_charges": selectors.account_open_charges(account=account),
            "form": form,
            "can_credit": has_perm(request.user, Perm.MANAGE_FEES),
            "payments": Payment.objects.filter(account.q())[:20],
        },
    )


@permission_required_view(Perm.RECORD_PAYMENTS)
def receipt_view(request, number: int):
    """The printable receipt, in the workspace's brand."""
    if not 0 < number < 2**31:  # the receipt number column is an integer
        raise Http404()
    payment = (
        Payment.objects.select_related("payer", "family", "received_by")
        .prefetch_related("allocations__charge__student")
        .filter(number=number)
        .first()
    )
    if payment is None:
        raise Http404()
    return render(request, "fees/receipt.html", {"payment": payment})


@require_POST
@permission_required_view(Perm.MANAGE_FEES)
def credit_note_view(request, kind: str, account_id: int):
    account = _get(selectors.account_get, kind=kind, account_id=account_id, user=request.user)
    form = CreditNoteForm(request.POST)
    charge = None
    if form.is_valid():
        charge = Charge.objects.filter(account.q(), pk=form.cleaned_data["charge"]).first()
    if charge is None:
        raise Http404()
    try:
        note = credit_note_create(
            charge=charge,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ERRORS as error:
        messages.error(request, str(getattr(error, "message", error)))
    else:
        messages.success(request, _("Credit note %(number)s recorded.") % {"number": note.number})
    return redirect("fees:account", kind=kind, account_id=account_id)


@permission_required_view(Perm.MANAGE_FEES)
def overdue_view(request):
    rows = selectors.overdue_list()
    return render(request, "fees/overdue.html", {"rows": rows, "buckets": ["1–30", "31–60", "61–90", "90+"]})


@permission_required_view(Perm.MANAGE_FEES)
def setup_view(request):
    """Each class's monthly tuition, the runs made, and running a month now."""
    classes = AcademyClass.objects.filter(is_active=True).select_related("fee").order_by("name")
    run_form = RunForm(request.POST if "month" in request.POST else None)
    rules = fee_settings()
    rules_form = FeeSettingsForm(
        request.POST if "billing_day" in request.POST else None,
        initial={
            "billing_day": rules.billing_day,
            "due_days": rules.due_days,
            "sibling_discount_percent": rules.sibling_discount_percent,
            "registration_fee": rules.registration_fee,
        },
    )
    if request.method == "POST":
        if "billing_day" in request.POST:
            if rules_form.is_valid():
                try:
                    fee_settings_update(user=request.user, **rules_form.cleaned_data)
                except ERRORS as error:
                    rules_form.add_error(None, str(getattr(error, "message", error)))
                else:
                    messages.success(request, _("Billing rules saved."))
                    return redirect("fees:setup")
        elif "month" in request.POST:
            if run_form.is_valid():
                run = tuition_run(period=run_form.cleaned_data["month"], user=request.user)
                messages.success(
                    request,
                    _("Tuition of %(month)s: %(count)s charges.")
                    % {"month": f"{run.period:%Y-%m}", "count": run.charges_created},
                )
                return redirect("fees:setup")
        else:
            for academy_class in classes:
                value = request.POST.get(f"fee_{academy_class.pk}", "").strip()
                if value:
                    try:
                        class_fee_set(
                            academy_class=academy_class, monthly_amount=Decimal(value), user=request.user
                        )
                    except (ArithmeticError, *ERRORS):
                        messages.error(
                            request, _("%(class)s: enter an amount.") % {"class": academy_class.name}
                        )
            messages.success(request, _("Fees saved."))
            return redirect("fees:setup")
    return render(
        request,
        "fees/setup.html",
        {
            "classes": classes,
            "run_form": run_form,
            "rules_form": rules_form,
            "runs": TuitionRun.objects.all()[:12],
        },
    )


def unsubscribe_view(request, token: str):
    """The link in every reminder: no sign-in; the signed token names the payer (GET asks, POST
    stops the reminders)."""
    payer_id = unsubscribe_payer_id(token)
    payer = Customer.objects.filter(pk=payer_id).first() if payer_id else None
    if payer is None:
        raise Http404()
    done = False
    if request.method == "POST":
        reminder_opt_out(payer=payer)
        done = True
    return render(request, "fees/unsubscribe.html", {"payer": payer, "done": done})
