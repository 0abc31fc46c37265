from django.contrib.sitemaps.views import sitemap
from django.urls import path

from factdesk.public import feeds, views

app_name = "public"

urlpatterns = [
    path("fact-checks/", views.index, name="index"),
    path("fact-checks/methodology/", views.methodology, name="methodology"),
    path("fact-checks/brand.css", views.brand_styles, name="brand_styles"),
    path("fact-checks/claimants/<int:claimant_id>/", views.claimant, name="claimant_short"),
    path("fact-checks/claimants/<int:claimant_id>-<slug:slug>/", views.claimant, name="claimant"),
    path("fact-checks/corrections/", views.corrections, name="corrections"),
    path("fact-checks/feed.rss", feeds.NewFactChecks(), name="feed_rss"),
    path("fact-checks/feed.atom", feeds.NewFactChecksAtom(), name="feed_atom"),
    path("fact-checks/feed.jsonld", feeds.data_feed, name="data_feed"),
    path("fact-checks/corrections/feed.rss", feeds.Corrections(), name="corrections_rss"),
    path("fact-checks/corrections/feed.atom", feeds.CorrectionsAtom(), name="corrections_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": feeds.SITEMAPS}, name="sitemap"),
    path("sitemap-news.xml", feeds.news_sitemap, name="news_sitemap"),
    path("robots.txt", feeds.robots, name="robots"),
    path("fact-checks/<int:claim_id>/embed/", views.embed, name="embed"),
    path("oembed", views.oembed, name="oembed"),
    path("fact-checks/<int:claim_id>/", views.fact_check, name="fact_check_short"),
    path("fact-checks/<int:claim_id>-<slug:slug>/", views.fact_check, name="fact_check"),
]
