from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from inventory.selectors import product_list_recent, workspace_summary


@login_required
def home(request):
    """The workspace home: what the business has, at a glance."""
    return render(
        request,
        "workspace/home.html",
        {"summary": workspace_summary(), "recent_products": product_list_recent()},
    )
