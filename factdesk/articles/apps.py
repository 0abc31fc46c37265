from django.apps import AppConfig
from django.db import transaction


class ArticlesConfig(AppConfig):
    name = "factdesk.articles"
    label = "articles"

    def ready(self) -> None:
        from factdesk.sources.signals import source_archived

        source_archived.connect(_fill_from_source, dispatch_uid="articles-fill-from-source")


def _fill_from_source(sender: object, *, source_id: int, **kwargs: object) -> None:
    """An article added by this URL gets its text, headline and byline from the new copy,
    in the transaction that archives it. Sent for every archived source: most are no
    article's, and cost one indexed query. The filling in a savepoint: a failure undoes only
    it (taken only for an article to fill: two more round trips for every page archived)."""
    from factdesk.articles.selectors import article_waiting_for
    from factdesk.articles.services import articles_fill_from_source

    if article_waiting_for(source_id):
        with transaction.atomic():
            articles_fill_from_source(source_id=source_id)
