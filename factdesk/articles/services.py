"""Adding articles: the text claims are anchored in."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction

from factdesk.articles.models import Article, Outlet
from factdesk.claims import audit
from factdesk.claims.selectors import FILTER_CHOICES_KEY
from factdesk.claims.services import require_role
from factdesk.claims.workflow import RESEARCHERS
from factdesk.core.errors import DeskError

ARTICLE_FIELDS = ("title", "url", "outlet", "byline", "published_on")


def normalise_text(text: str) -> str:
    """One form of line breaks and no trailing blanks: offsets into it stay stable."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def outlet_for(*, actor: User, name: str, url: str = "") -> Outlet | None:
    name = " ".join(name.split())
    domain = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
    if not name and not domain:
        return None
    outlet = None
    if name:
        outlet = Outlet.objects.filter(name__iexact=name).first()
    if outlet is None and domain:
        outlet = Outlet.objects.filter(domain__iexact=domain).first()
    if outlet is None:
        outlet = Outlet.objects.create(name=name or domain, domain=domain)
        transaction.on_commit(lambda: cache.delete(FILTER_CHOICES_KEY))  # menus list outlets
        audit.record_creation(
            actor=actor,
            action="outlet.created",
            target=outlet,
            fields=("name", "domain"),
            summary=f"added outlet {outlet}",
        )
    return outlet


def article_create(
    *,
    actor: User,
    title: str,
    text: str,
    url: str = "",
    outlet_name: str = "",
    byline: str = "",
    published_on: datetime.date | None = None,
) -> Article:
    require_role(actor, RESEARCHERS, "add an article")
    text = normalise_text(text)
    title = " ".join(title.split())
    if not title:
        raise DeskError("Give the article's headline.", field="title")
    if not text:
        raise DeskError("Paste the article's text: claims are logged from it.", field="text")
    url = url.strip()
    if url and Article.objects.filter(url=url).exists():
        existing = Article.objects.get(url=url)
        raise DeskError(f"This article is already on the desk: “{existing.title}”.", field="url")
    with transaction.atomic():
        article = Article.objects.create(
            title=title,
            text=text,
            url=url,
            outlet=outlet_for(actor=actor, name=outlet_name, url=url),
            byline=byline.strip(),
            published_on=published_on,
            added_by=actor,
        )
        audit.record_creation(
            actor=actor,
            action="article.created",
            target=article,
            fields=ARTICLE_FIELDS,
            summary=f"added article {article.title}",
        )
    return article
