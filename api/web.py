"""The "API tokens" page of a workspace (/api/tokens/): a member creates, sees (once) and revokes
their own personal tokens."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from api.permissions import plan_allows_api
from api.selectors import api_token_get, api_token_list
from api.services import api_token_create, api_token_revoke
from inventory.exceptions import NotFound


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("E.g. the till or the app that uses it.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form, created_raw = ApiTokenForm(), None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            _token, created_raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
    context = {
        "form": form,
        "created_raw": created_raw,
        "tokens": api_token_list(user=request.user),
        "plan_has_api": plan_allows_api(request.tenant),
    }
    return render(request, "api/tokens.html", context, status=201 if created_raw else 200)


@login_required
@require_POST
def api_token_revoke_view(request, token_id: int):
    try:
        api_token_revoke(token=api_token_get(token_id=token_id, user=request.user))
    except NotFound:
        pass
    return redirect("api:tokens")
