"""Limits on password guessing (django-axes, its attempts kept in PostgreSQL so that the limit
holds while Redis is down). Failures count per account *and* client address together: one
attacker cannot lock the whole newsroom out, and a reporter mistyping at home does not lock
out the same account in the office."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a proxy the desk trusts
    (TRUSTED_PROXIES), the last address in X-Forwarded-For that is not one of them. A
    forwarded header from anyone else is ignored: it is whatever the client wrote."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote):
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(forwarded):
        if hop and not _trusted(hop):
            return hop
    return remote


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in settings.TRUSTED_PROXIES)


def locked_out(request: HttpRequest, credentials: dict | None, *args: object) -> HttpResponse:
    """The login page again, saying why and until when (HTTP 429)."""
    cooloff = settings.AXES_COOLOFF_TIME
    until = timezone.localtime(timezone.now() + cooloff) if isinstance(cooloff, timedelta) else None
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return render(
        request,
        "registration/login.html",
        {"locked_out_until": until, "username": username, "next": request.POST.get("next", "")},
        status=429,
    )
