from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from factdesk.accounts.roles import DeskRequest, role_required
from factdesk.articles import services
from factdesk.articles.models import Article
from factdesk.claims import selectors
from factdesk.claims.forms import ArticleForm, ClaimFromArticleForm
from factdesk.claims.services import claim_create
from factdesk.claims.views import claimant_from_form, form_error
from factdesk.core.errors import DeskError


@require_GET
@role_required()
def article_list(request: DeskRequest) -> HttpResponse:
    page = Paginator(selectors.article_list(), 30).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


@role_required()
def article_new(request: DeskRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, **form.cleaned_data)
        except DeskError as error:
            form_error(form, error)
        else:
            messages.success(request, "Article added. Select a sentence to log a claim from it.")
            return redirect(article)
    return render(request, "articles/article_form.html", {"form": form})


def _article_page(
    request: DeskRequest, article_id: int, form: ClaimFromArticleForm, status: int = 200
) -> HttpResponse:
    try:
        article, claims, segments = selectors.article_page(article_id)
    except Article.DoesNotExist:
        raise Http404("No such article") from None
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "claims": claims, "segments": segments, "form": form},
        status=status,
    )


@require_GET
@role_required()
def article_detail(request: DeskRequest, article_id: int) -> HttpResponse:
    return _article_page(request, article_id, ClaimFromArticleForm())


@role_required()
def article_log_claim(request: DeskRequest, article_id: int) -> HttpResponse:
    """Log a claim anchored to the passage selected (or pasted) from the article."""
    if request.method != "POST":
        return redirect("articles:detail", article_id=article_id)
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article")
    form = ClaimFromArticleForm(request.POST)
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
                )
        except DeskError as error:
            form_error(form, error)
        else:
            messages.success(request, f"Claim #{claim.pk} logged.")
            return redirect(claim)
    return _article_page(request, article_id, form, status=400)
