"""The saved-search feed, included at the project root (``/feeds/search/``)."""

from django.urls import path

from search.feeds import SavedSearchFeed

urlpatterns = [
    path("feeds/search/", SavedSearchFeed(), name="search_feed"),
]
