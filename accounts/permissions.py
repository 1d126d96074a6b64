"""The one permission layer: which role may do what (seed 001's table, extended by the issues).

Web views use ``permission_required_view``; the API's permission classes read the same table.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.models import User

Role = User.Role


class Perm(StrEnum):
    INVITE_USERS = "invite_users"
    MANAGE_TEAM = "manage_team"  # change roles, deactivate
    MANAGE_PRODUCTS = "manage_products"  # catalogue, categories, locations
    RECORD_SALES = "record_sales"
    VOID_SALES = "void_sales"  # voids and returns
    MANAGE_STOCK = "manage_stock"  # adjustments, transfers, counts
    VIEW_BALANCE = "view_balance"  # dashboard money, expenses
    MANAGE_SUPPLIER_INVOICES = "manage_supplier_invoices"  # suppliers, purchase orders, expenses
    CREATE_QUOTES = "create_quotes"
    CONVERT_QUOTES = "convert_quotes"
    VIEW_FORECASTS = "view_forecasts"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_SETTINGS = "manage_settings"  # workspace settings
    MANAGE_BRANDING = "manage_branding"  # logo, colours, commercial name
    MANAGE_BILLING = "manage_billing"
    EXPORT_DATA = "export_data"
    DELETE_WORKSPACE = "delete_workspace"
    IMPORT_DATA = "import_data"
    # Customers and academies (issue 14)
    VIEW_CUSTOMERS = "view_customers"  # the customer list and cards
    MANAGE_CUSTOMERS = "manage_customers"  # create and edit customers, families, guardians
    VIEW_TIMETABLE = "view_timetable"
    MANAGE_ACADEMY = "manage_academy"  # rooms, class types, teachers, classes, holidays, sessions
    MANAGE_ENROLMENTS = "manage_enrolments"  # enrol, drop, waitlists, drop-ins, trials
    TAKE_ATTENDANCE = "take_attendance"  # a teacher only for their own sessions (academy.selectors)
    CHECK_IN = "check_in"  # the front desk's QR check-in, students' QR cards
    # Memberships and class packs (issue 15): the catalogue of offers, pauses. Selling one to a
    # student is RECORD_SALES (it is a sale).
    MANAGE_OFFERS = "manage_offers"
    # Tuition and family accounts (issue 15): class fees, the monthly run, credit notes, the
    # overdue list (owners and admins); recording a family's payment and reading its statement
    # (the front desk too).
    MANAGE_FEES = "manage_fees"
    RECORD_PAYMENTS = "record_payments"
    # Teacher payroll (issue 15): pay rules, statements, approval as an expense (owners and
    # admins); a teacher reads their own statements.
    MANAGE_PAYROLL = "manage_payroll"
    VIEW_OWN_PAYROLL = "view_own_payroll"
    # Costs, margins and totals across sales (the business's books), in every list, export,
    # detail and API field. Prices and one's own sale at the till are not money in this sense.
    VIEW_MONEY = "view_money"
    USE_API = "use_api"  # personal API tokens (the plan must include the API too)
    # Orders from customers (issue 19): the board at the counter (everyone who sells), the
    # ordering page's menu, ways to receive, and each location's hours and address.
    WORK_ORDERS = "work_orders"
    MANAGE_ORDERS = "manage_orders"
    # Payments to the business (issue 19): connecting MercadoPago or Wompi (credentials); sending
    # payment links and following their payments (the front desk too).
    MANAGE_PAYMENT_PROVIDERS = "manage_payment_providers"
    SEND_PAYMENT_LINKS = "send_payment_links"
    # WhatsApp (issue 20): the inbox (read, reply, assign, notes: the front desk too); connecting
    # the number, its token, templates, reminders and retention (owners and admins).
    ANSWER_MESSAGES = "answer_messages"
    CONNECT_WHATSAPP = "connect_whatsapp"


_ADMIN = {
    Perm.MANAGE_PRODUCTS,
    Perm.RECORD_SALES,
    Perm.VOID_SALES,
    Perm.MANAGE_STOCK,
    Perm.VIEW_BALANCE,
    Perm.MANAGE_SUPPLIER_INVOICES,
    Perm.CREATE_QUOTES,
    Perm.CONVERT_QUOTES,
    Perm.VIEW_FORECASTS,
    Perm.VIEW_AUDIT_LOG,
    Perm.IMPORT_DATA,
    Perm.MANAGE_BRANDING,
    Perm.VIEW_MONEY,
    Perm.USE_API,
    Perm.VIEW_CUSTOMERS,
    Perm.MANAGE_CUSTOMERS,
    Perm.VIEW_TIMETABLE,
    Perm.MANAGE_ACADEMY,
    Perm.MANAGE_ENROLMENTS,
    Perm.TAKE_ATTENDANCE,
    Perm.CHECK_IN,
    Perm.MANAGE_OFFERS,
    Perm.MANAGE_FEES,
    Perm.RECORD_PAYMENTS,
    Perm.MANAGE_PAYROLL,
    Perm.VIEW_OWN_PAYROLL,  # read statements: every one with MANAGE_PAYROLL (payroll.selectors)
    Perm.WORK_ORDERS,
    Perm.MANAGE_ORDERS,
    Perm.MANAGE_PAYMENT_PROVIDERS,
    Perm.SEND_PAYMENT_LINKS,
    Perm.ANSWER_MESSAGES,
    Perm.CONNECT_WHATSAPP,
}
_STAFF = {
    Perm.RECORD_SALES,
    Perm.CREATE_QUOTES,
    Perm.USE_API,
    Perm.VIEW_CUSTOMERS,
    Perm.MANAGE_CUSTOMERS,
    Perm.VIEW_TIMETABLE,
    Perm.MANAGE_ENROLMENTS,
    Perm.TAKE_ATTENDANCE,
    Perm.CHECK_IN,
    Perm.RECORD_PAYMENTS,
    Perm.WORK_ORDERS,
    Perm.SEND_PAYMENT_LINKS,
    Perm.ANSWER_MESSAGES,
}
# A teacher sees the timetable and takes attendance in their own classes: no money, no catalogue,
# no customer list (only the names on their rosters).
_TEACHER = {Perm.VIEW_TIMETABLE, Perm.TAKE_ATTENDANCE, Perm.VIEW_OWN_PAYROLL}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.OWNER: frozenset(Perm),
    Role.ADMIN: frozenset(_ADMIN),
    Role.STAFF: frozenset(_STAFF),
    Role.TEACHER: frozenset(_TEACHER),
}


def has_perm(user, perm: Perm) -> bool:
    """True when an active, signed-in user of this workspace has ``perm`` through their role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


def require_perm(user, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise PermissionDenied(perm.value)


def permission_required_view(perm: Perm):
    """Decorate a view: sign-in required, then the role must hold ``perm`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            require_perm(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
