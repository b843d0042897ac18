from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("explainers/", views.explainer_list, name="explainers"),
    path("explainers/<slug:slug>/", views.explainer_detail, name="explainer"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/<int:pk>/", views.claim_redirect, name="claim-short"),
    path("claims/<int:pk>-<slug:slug>/", views.claim_detail, name="claim"),
    path("places/", views.place_list, name="places"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("search/", views.search, name="search"),
    path("methodology/", views.methodology, name="methodology"),
    path("balance/", views.balance, name="balance"),
    path("about/<slug:kind>/", views.standing_page, name="standing-page"),
    path("feeds/explainers.rss", feeds.ExplainersFeed(), name="feed-explainers-rss"),
    path("feeds/explainers.atom", feeds.ExplainersAtomFeed(), name="feed-explainers-atom"),
    path("feeds/verdicts.rss", feeds.VerdictsFeed(), name="feed-verdicts-rss"),
    path("feeds/verdicts.atom", feeds.VerdictsAtomFeed(), name="feed-verdicts-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
