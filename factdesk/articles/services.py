"""Adding articles: the text claims are anchored in."""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction

from factdesk.accounts.roles import require_role
from factdesk.articles.models import Article, Outlet
from factdesk.claims import audit
from factdesk.claims.workflow import RESEARCHERS
from factdesk.core import idempotency, languages
from factdesk.core.errors import DeskError

ARTICLE_FIELDS = ("title", "url", "outlet", "byline", "published_on", "language")


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
        with audit.change(
            actor=actor,
            action="outlet.created",
            fields=("name", "domain"),
            summary=f"added outlet {name or domain}",
        ) as change:
            outlet = Outlet.objects.create(name=name or domain, domain=domain)
            change.target = outlet
    return outlet


def _already_on_desk(article: Article) -> DeskError:
    return DeskError(f"This article is already on the desk: “{article.title}”.", field="url")


def article_create(
    *,
    actor: User,
    title: str,
    text: str,
    url: str = "",
    outlet_name: str = "",
    byline: str = "",
    published_on: datetime.date | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> Article:
    """Add a pasted article. A repeat of `idempotency_key` returns the article the first
    submission added."""
    require_role(actor, RESEARCHERS, "add an article")
    text = normalise_text(text)
    title = " ".join(title.split())
    if not title:
        raise DeskError("Give the article's headline.", field="title")
    if not text:
        raise DeskError("Paste the article's text: claims are logged from it.", field="text")
    url = url.strip()

    def create() -> Article:
        if url and (existing := Article.objects.filter(url=url).first()):
            raise _already_on_desk(existing)
        with (
            transaction.atomic(),
            audit.change(
                actor=actor,
                action="article.created",
                fields=ARTICLE_FIELDS,
                summary=f"added article {title}",
            ) as change,
        ):
            article = Article.objects.create(
                title=title,
                text=text,
                url=url,
                outlet=outlet_for(actor=actor, name=outlet_name, url=url),
                byline=byline.strip(),
                published_on=published_on,
                language=languages.detect(text),
                added_by=actor,
            )
            change.target = article
        return article

    return idempotency.once(key=idempotency_key, user=actor, create=create)


def article_create_from_url(
    *, actor: User, url: str, idempotency_key: uuid.UUID | None = None
) -> Article:
    """Add an article by its address: it is fetched and archived like a cited source, and
    its text, headline, byline, outlet and date are filled in when the copy is read. A
    repeat of `idempotency_key` returns the article the first submission added."""
    from factdesk.sources.services import source_for_url

    require_role(actor, RESEARCHERS, "add an article")
    url = url.strip()

    def create() -> Article:
        if existing := Article.objects.filter(url=url).first():
            raise _already_on_desk(existing)
        source = source_for_url(url, added_by=actor)
        if existing := Article.objects.filter(source=source).first():
            raise _already_on_desk(existing)
        with audit.change(
            actor=actor,
            action="article.created",
            fields=("url",),
            summary=f"added article {url} (fetching it)",
        ) as change:
            article = Article.objects.create(
                title=url[:500], url=url, source=source, outlet=None, added_by=actor
            )
            change.target = article
        articles_fill_from_source(source_id=source.pk)  # already archived: fill it now
        return article

    with transaction.atomic():
        article = idempotency.once(key=idempotency_key, user=actor, create=create)
    article.refresh_from_db()
    return article


def articles_fill_from_source(*, source_id: int) -> None:
    """Fill an article added by URL from its newest archived copy (workers call this once
    the copy is read). Only an article still without text is filled: never an edited one."""
    article = Article.objects.select_for_update().filter(source_id=source_id, text="").first()
    if article is None:
        return
    assert article.source is not None  # found by its source
    snapshot = article.source.newest_snapshot()
    if snapshot is None or not (text := normalise_text(snapshot.text)):
        return  # the article page offers to paste the text
    with audit.change(
        actor=article.added_by,
        action="article.filled",
        target=article,
        fields=ARTICLE_FIELDS,
    ) as change:
        article.text = text
        article.language = article.language or languages.detect(text)
        article.title = " ".join(snapshot.title.split())[:500] or article.title
        article.byline = article.byline or snapshot.author
        article.published_on = article.published_on or snapshot.published
        article.outlet = article.outlet or outlet_for(
            actor=article.added_by, name=snapshot.site_name, url=article.url
        )
        article.save()
        change.summary = f"filled in article {article.title} from the archived page"
        # The text too, as its length (as article_set_text records it): it is always filled.
        change.changes = {**change.differences(), "text": ["", f"{len(text)} characters"]}


def article_set_text(*, actor: User, article: Article, text: str) -> Article:
    """Paste the text of an article added by URL whose page gave none (a paywall, a page
    built by scripts). Claims are anchored in it, so it is set once."""
    require_role(actor, RESEARCHERS, "add an article's text")
    text = normalise_text(text)
    if not text:
        raise DeskError("Paste the article's text: claims are logged from it.", field="text")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.text:
            raise DeskError("This article already has its text: claims are anchored in it.")
        with audit.change(
            actor=actor,
            action="article.text_added",
            target=article,
            fields=("text",),
            summary=f"pasted the text of article {article.title}",
        ) as change:
            article.text = text
            article.language = article.language or languages.detect(text)
            article.save(update_fields=["text", "language", "updated_at"])
            # The timeline says how much was pasted, not the whole text again.
            change.changes = {"text": ["", f"{len(text)} characters"]}
    return article


def article_set_language(*, actor: User, article: Article, language: str) -> Article:
    """Correct the language the desk detected (or name it where it could not tell)."""
    require_role(actor, RESEARCHERS, "set an article's language")
    if language not in dict(languages.choices()):
        raise DeskError("Choose the article's language from the list.", field="language")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        with audit.change(
            actor=actor,
            action="article.language",
            target=article,
            fields=("language",),
            summary=f"set the language of article {article.title} to {languages.name(language)}",
        ):
            article.language = language
            article.save(update_fields=["language", "updated_at"])
    return article
