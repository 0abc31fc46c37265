from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The newsroom's name on the public pages (settings, from the environment)."""
    return {"site_name": settings.SITE_NAME, "organisation_name": settings.ORGANISATION_NAME}
