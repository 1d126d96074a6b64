from django.conf import settings
from django.shortcuts import render


def landing(request):
    """The public site's home page."""
    return render(request, "public/landing.html")


def no_such_workspace(request):
    """Any host that is not the bare domain nor a workspace's subdomain."""
    host = request.get_host().split(":")[0]
    subdomain = host.removesuffix("." + settings.BASE_DOMAIN)
    return render(request, "public/no_such_workspace.html", {"subdomain": subdomain}, status=404)
