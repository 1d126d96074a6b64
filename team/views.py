"""Web screens of the team: members and their roles, invitations, and joining by invitation.

Roles are checked by accounts.permissions (the same table as the API); the writes are services.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.exceptions import InvitationRefused, InvitationUnusable, LastOwnerError
from accounts.login_links import login_token_use
from accounts.models import Invitation, User
from accounts.permissions import Perm, has_perm, permission_required_view
from accounts.selectors import (
    invitation_get_by_token,
    invitation_get_open,
    invitation_list_open,
    team_seats_taken,
    user_get_for_team,
    user_list_team,
)
from plans.exceptions import PlanLimitReached
from team.forms import InvitationAcceptForm, InvitationForm, RoleChangeForm
from team.invitations import (
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitation_unusable_message,
)
from team.services import user_deactivate, user_role_change

# Invitees and new users land here after signing in.
_SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login_link(request, token: str):
    """Sign in through a one-time link (the last step of signup), then go to the dashboard."""
    user = login_token_use(raw=token)
    if user is None:
        return render(request, "team/login_link_invalid.html", status=400)
    login(request, user, backend=_SIGN_IN_BACKEND)
    return redirect("workspace:home")


def _workspace_base_url(request) -> str:
    # The host was matched to this workspace by the tenant middleware (and ALLOWED_HOSTS), so
    # a forged Host header cannot point the emailed link at another site.
    return request.build_absolute_uri("/")


def _team_page(request, *, invite_form: InvitationForm | None = None, status: int = 200):
    plan = getattr(request.tenant, "plan", None)
    can_invite = has_perm(request.user, Perm.INVITE_USERS)
    context = {
        "members": user_list_team(),
        "invitations": invitation_list_open() if can_invite else [],
        "invite_form": (invite_form or InvitationForm()) if can_invite else None,
        "role_choices": User.Role.choices,
        "seats_taken": team_seats_taken(),
        "seats_limit": plan.max_users if plan is not None else None,
    }
    return render(request, "team/team.html", context, status=status)


@permission_required_view(Perm.MANAGE_TEAM)
@require_GET
def team(request):
    """The team: users with their roles, pending invitations, and the invitation form."""
    return _team_page(request)


@permission_required_view(Perm.INVITE_USERS)
@require_POST
def invitation_create_view(request):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_create(
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=_workspace_base_url(request),
                request=request,
            )
        except (PlanLimitReached, InvitationRefused) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("team:team")
    return _team_page(request, invite_form=form, status=400)


@permission_required_view(Perm.INVITE_USERS)
@require_POST
def invitation_resend_view(request, invitation_id: int):
    invitation = invitation_get_open(invitation_id=invitation_id)
    try:
        invitation_resend(
            actor=request.user, invitation=invitation, base_url=_workspace_base_url(request), request=request
        )
    except (PlanLimitReached, InvitationRefused) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Invitation sent again to %(email)s. The previous link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("team:team")


@permission_required_view(Perm.INVITE_USERS)
@require_POST
def invitation_revoke_view(request, invitation_id: int):
    invitation = invitation_get_open(invitation_id=invitation_id)
    invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("team:team")


@permission_required_view(Perm.MANAGE_TEAM)
@require_POST
def user_role_change_view(request, user_id: int):
    member = user_get_for_team(user_id=user_id)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("team:team")
    try:
        member = user_role_change(
            actor=request.user, user=member, role=form.cleaned_data["role"], request=request
        )
    except LastOwnerError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s's role is now %(role)s.")
            % {"name": member.get_full_name(), "role": member.get_role_display()},
        )
    return redirect("team:team")


@permission_required_view(Perm.MANAGE_TEAM)
@require_http_methods(["GET", "POST"])
def user_deactivate_view(request, user_id: int):
    """GET asks for confirmation; POST deactivates."""
    member = user_get_for_team(user_id=user_id)
    if request.method == "GET":
        return render(request, "team/user_deactivate.html", {"member": member})
    try:
        user_deactivate(actor=request.user, user=member, request=request)
    except LastOwnerError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s can no longer sign in.") % {"name": member.get_full_name()})
    return redirect("team:team")


def _invitation_unusable_page(request, status: str):
    return render(
        request,
        "team/invitation_unusable.html",
        {"status": status, "message": invitation_unusable_message(status)},
        # An unknown link (or another workspace's) is not found here; a spent one is gone.
        status=404 if status == "invalid" else 410,
    )


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token: str):
    """The invitee chooses a name and password, joins with the invitation's role, signed in."""
    invitation = invitation_get_by_token(raw=token)
    if invitation is None:
        return _invitation_unusable_page(request, "invalid")
    if invitation.status != Invitation.Status.PENDING:
        return _invitation_unusable_page(request, invitation.status)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                raw_token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except InvitationUnusable as error:
            return _invitation_unusable_page(request, error.status)
        except (PlanLimitReached, InvitationRefused) as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend=_SIGN_IN_BACKEND)
            messages.success(request, _("Welcome to the team!"))
            return redirect("workspace:home")
    return render(
        request,
        "team/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.is_bound else 200,
    )
