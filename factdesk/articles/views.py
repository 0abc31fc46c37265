from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from factdesk.accounts.roles import DeskRequest, role_required
from factdesk.articles import selectors, services
from factdesk.articles.forms import (
    ArticleForm,
    ArticleTextForm,
    ArticleUrlForm,
    ClaimFromArticleForm,
    LanguageForm,
)
from factdesk.articles.models import Article
from factdesk.claims.models import Claim
from factdesk.claims.services import DuplicateClaimError, claim_create
from factdesk.claims.views import claimant_from_form
from factdesk.core import languages
from factdesk.core.errors import DeskError, form_error
from factdesk.core.numbers import whole_number
from factdesk.intake import services as intake_services
from factdesk.sources import uploads
from factdesk.sources.services import citation_add, source_retry

DESK_PARTIAL = "articles/article_detail.html#desk"


@require_GET
@role_required()
def article_list(request: DeskRequest) -> HttpResponse:
    page = Paginator(selectors.article_list(), 30).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


@role_required()
def article_new(request: DeskRequest) -> HttpResponse:
    posted = request.method == "POST"  # an empty POST too: it gets its errors, not a blank form
    form = ArticleForm(request.POST if posted else None, request.FILES if posted else None)
    if refused := getattr(request, "refused_uploads", {}).get("text_file"):
        form.is_valid()
        form.add_error("text_file", uploads.too_big(refused))
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, **form.cleaned_data)
        except DeskError as error:
            form_error(form, error)
        else:
            messages.success(request, "Article added. Select a sentence to log a claim from it.")
            return redirect(article)
    return render(
        request, "articles/article_form.html", {"form": form, "url_form": ArticleUrlForm()}
    )


@role_required()
def article_new_from_url(request: DeskRequest) -> HttpResponse:
    # Opened by its address, or again by the back button: the page with the form.
    if request.method != "POST":
        return redirect(reverse("articles:new") + "#by-url")
    url_form = ArticleUrlForm(request.POST)
    if url_form.is_valid():
        try:
            article = services.article_create_from_url(
                actor=request.user,
                url=url_form.cleaned_data["url"],
                idempotency_key=url_form.cleaned_data["idempotency_key"],
            )
        except DeskError as error:
            url_form.add_error("url", error.message)
        else:
            messages.success(request, "Article added: fetching the page.")
            return redirect(article)
    context = {"form": ArticleForm(), "url_form": url_form}
    return render(request, "articles/article_form.html", context, status=400)


def _article_page(
    request: DeskRequest,
    article_id: int,
    form: ClaimFromArticleForm | None = None,
    status: int = 200,
    text_form: ArticleTextForm | None = None,
    template: str = "articles/article_detail.html",
    logged: Claim | None = None,
    duplicate: DuplicateClaimError | None = None,
    intake_error: str = "",
) -> HttpResponse:
    try:
        page = selectors.article_page(article_id)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    article, claims = page.article, page.claims
    if form is None:
        form = ClaimFromArticleForm(
            initial={"claimant_name": selectors.claimant_last_logged(request.user)}
        )
    copy = selectors.article_copy(article)
    return render(
        request,
        template,
        {
            "article": article,
            "copy": copy,
            "claims": claims,
            "segments": page.segments,
            "intake": page.intake,
            "intake_error": intake_error,
            "article_triaged": page.triaged,
            "form": form,
            "duplicate": duplicate,
            "logged": logged,
            "text_form": text_form or ArticleTextForm(),
            "links": selectors.article_links(copy, claims),
            "language_choices": languages.choices(),
        },
        status=status,
    )


@require_GET
@role_required()
def article_fetch_status(request: DeskRequest, article_id: int) -> HttpResponse:
    """What the page polls while its source is fetched; once settled, the whole page
    reloads with the text (or the reason there is none)."""
    article = get_object_or_404(Article.objects.select_related("source"), pk=article_id)
    if article.source is None or article.source.is_settled:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "articles/article_detail.html#fetching", {"article": article})


@require_POST
@role_required()
def article_set_text(request: DeskRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    text_form = ArticleTextForm(request.POST)
    if text_form.is_valid():
        try:
            services.article_set_text(
                actor=request.user, article=article, text=text_form.cleaned_data["text"]
            )
        except DeskError as error:
            if error.field != "text":
                messages.error(request, error.message)
                return redirect(article)
            form_error(text_form, error)
        else:
            messages.success(request, "Text added. Select a sentence to log a claim from it.")
            return redirect(article)
    return _article_page(request, article_id, status=400, text_form=text_form)


@require_POST
@role_required()
def article_set_language(request: DeskRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the article's language from the list.")
        return redirect(article)
    try:
        article = services.article_set_language(
            actor=request.user, article=article, language=form.cleaned_data["language"]
        )
    except DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Language set to {languages.name(article.language)}.")
    return redirect(article)


@require_POST
@role_required()
def article_retry(request: DeskRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), pk=article_id)
    if article.source is None:
        raise Http404("This article was not added by URL")
    try:
        source_retry(actor=request.user, source=article.source)
    except DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Fetching the page again.")
    return redirect(article)


@require_POST
@role_required()
def article_cite_link(request: DeskRequest, article_id: int) -> HttpResponse:
    """One click: cite a link of the article on one of its claims."""
    article = get_object_or_404(Article, pk=article_id)
    claim = article.claims.filter(pk=request.POST.get("claim") or 0).first()
    url = request.POST.get("url", "")
    if claim is None:
        messages.error(request, "Choose which claim of this article the link is evidence for.")
        return redirect(article)
    try:
        citation_add(actor=request.user, claim=claim, url=url)
    except DeskError as error:
        messages.error(request, f"{url} was not cited: {error.message}")
    else:
        messages.success(request, f"Cited {url} on claim #{claim.pk}; fetching it.")
    return redirect(f"{article.get_absolute_url()}?claim={claim.pk}#links")


@require_GET
@role_required()
def article_detail(request: DeskRequest, article_id: int) -> HttpResponse:
    return _article_page(request, article_id)


@role_required()
def article_log_claim(request: DeskRequest, article_id: int) -> HttpResponse:
    """Log a claim anchored to the passage selected (or pasted) from the article. From the
    page's htmx form the answer is the page's desk (text, form, list) again, the new claim
    highlighted and listed, and the form ready for the next; without htmx, a redirect."""
    if request.method != "POST":
        return redirect("articles:detail", article_id=article_id)
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article")
    form = ClaimFromArticleForm(request.POST)
    duplicate = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused claim leaves no new claimant behind
                claim = claim_create(
                    actor=request.user,
                    article=article,
                    text=data["text"],
                    claimant=claimant_from_form(request, data),
                    quote=data["quote"],
                    quote_start=data["quote_start"],
                    quote_end=data["quote_end"],
                    claimed_on=data["claimed_on"],
                    new_appearance=data["new_appearance"],
                    idempotency_key=data["idempotency_key"],
                )
        except DuplicateClaimError as error:
            duplicate = (
                error  # shown above the form, with a link to the claim (and "Log it anyway")
            )
        except DeskError as error:
            form_error(form, error)
        else:
            _record_suggestion(request, claim)
            if not request.htmx:
                messages.success(request, f"Claim #{claim.pk} logged.")
                return redirect(claim)
            next_form = ClaimFromArticleForm(initial={"claimant_name": claim.claimant.name})
            return _article_page(
                request, article_id, next_form, template=DESK_PARTIAL, logged=claim
            )
    if request.htmx:  # htmx swaps only a 2xx answer: the form, with its errors, comes back
        return _article_page(request, article_id, form, template=DESK_PARTIAL, duplicate=duplicate)
    return _article_page(request, article_id, form, status=400, duplicate=duplicate)


def _record_suggestion(request: DeskRequest, claim: Claim) -> None:
    """A claim logged from a suggestion: which model suggested it, and its score."""
    try:
        version = int(request.POST.get("suggested_by", ""))
        score = float(request.POST.get("suggested_score", ""))
    except ValueError:
        return  # logged from a selection, not a suggestion
    if version >= 0 and 0.0 <= score <= 1.0:
        intake_services.suggestion_logged(claim=claim, model_version=version, score=score)


def _sentence_span(request: DeskRequest) -> tuple[int, int] | None:
    try:
        start, end = int(request.POST.get("start", "")), int(request.POST.get("end", ""))
    except ValueError:
        return None
    return (start, end) if 0 <= start < end else None


def _intake_answer(request: DeskRequest, article_id: int, error: str = "") -> HttpResponse:
    """The article's desk again (htmx), or the page; with what was wrong, if anything."""
    if request.htmx:
        return _article_page(request, article_id, template=DESK_PARTIAL, intake_error=error)
    if error:
        messages.error(request, error)
    return redirect("articles:detail", article_id=article_id)


@require_POST
@role_required()
def article_not_a_claim(request: DeskRequest, article_id: int) -> HttpResponse:
    """ "Not a claim" on a suggestion: it is not suggested again."""
    article = get_object_or_404(Article, pk=article_id)
    span = _sentence_span(request)
    if span is None:
        return _intake_answer(request, article_id, "Say which sentence: reload the page.")
    try:
        intake_services.sentence_not_a_claim(
            actor=request.user,
            article=article,
            start=span[0],
            end=span[1],
            model_version=whole_number(request.POST.get("model_version")),
        )
    except DeskError as error:
        return _intake_answer(request, article_id, error.message)
    return _intake_answer(request, article_id)


@require_POST
@role_required()
def article_mark_line(request: DeskRequest, article_id: int) -> HttpResponse:
    """An editor's word on a line: page furniture (folded, never suggested) or article text."""
    article = get_object_or_404(Article, pk=article_id)
    span = _sentence_span(request)
    choice = request.POST.get("furniture", "")
    if span is None or choice not in ("yes", "no"):
        return _intake_answer(
            request, article_id, "Say which line, and what it is: reload the page."
        )
    try:
        intake_services.line_mark(
            actor=request.user,
            article=article,
            start=span[0],
            end=span[1],
            is_furniture=choice == "yes",
        )
    except DeskError as error:
        return _intake_answer(request, article_id, error.message)
    return _intake_answer(request, article_id)


@require_POST
@role_required()
def article_triage_done(request: DeskRequest, article_id: int) -> HttpResponse:
    """ "Triage done": every claim in the article is logged."""
    article = get_object_or_404(Article, pk=article_id)
    try:
        intake_services.article_triage_done(actor=request.user, article=article)
    except DeskError as error:
        return _intake_answer(request, article_id, error.message)
    return _intake_answer(request, article_id)
