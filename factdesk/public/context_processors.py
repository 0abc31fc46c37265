from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The newsroom's name and logo on the public pages (settings, from the environment)."""
    return {
        "site_name": settings.SITE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "site_logo": settings.SITE_LOGO_URL,
    }
