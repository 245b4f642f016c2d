"""An Atom feed of a saved column search: ``/feeds/search/?<the column's GET query>``.

The parameters are the column page's (``search.forms.SearchForm``), so a visitor
subscribes to exactly the search they see. The feed always lists the newest
matches first, whatever the page's order, because a feed reader wants what is new;
paging parameters are ignored. Hits are re-read through the document sources like
every search, so only what is public now appears.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.feeds import FEED_SIZE, TextFeed
from search import selectors
from search.engines.base import SearchEngineError, Sort
from search.forms import SearchForm

logger = logging.getLogger(__name__)

IGNORED_PARAMS = ("page", "page_size", "ordering")


@dataclasses.dataclass
class SavedSearch:
    params: QueryDict
    text: str
    page: selectors.SearchPage


class SavedSearchFeed(TextFeed):
    """The newest matches of a column search."""

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except SearchEngineError:
            logger.warning("search feed: engine unavailable", exc_info=True)
            return HttpResponse(
                str(selectors.SEARCH_UNAVAILABLE),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        except ValueError as exc:
            return HttpResponse(
                str(exc), status=400, content_type="text/plain; charset=utf-8"
            )

    def get_object(self, request: HttpRequest) -> SavedSearch:
        params = request.GET.copy()
        for name in IGNORED_PARAMS:
            params.pop(name, None)
        form = SearchForm(params)
        if not form.is_valid():
            fields = ", ".join(sorted(form.errors))
            raise ValueError(_("检索条件有误：%(fields)s") % {"fields": fields})
        query = dataclasses.replace(
            form.search_query(facets=False), sort=Sort.NEWEST, page=1, size=FEED_SIZE
        )
        page = selectors.search_documents(query)
        return SavedSearch(params, form.cleaned_data.get("q") or "", page)

    def title(self, obj: SavedSearch) -> str:
        if obj.text:
            return _("专栏检索“%(q)s” · 最新结果") % {"q": obj.text}
        return _("专栏检索 · 最新结果")

    def subtitle(self, obj: SavedSearch) -> str:
        return _("按保存的检索条件列出最新发布的信息。")

    def link(self, obj: SavedSearch) -> str:
        query = obj.params.urlencode()
        return reverse("search:column") + (f"?{query}" if query else "")

    def feed_url(self, obj: SavedSearch) -> str:
        query = obj.params.urlencode()
        return reverse("search_feed") + (f"?{query}" if query else "")

    def feed_guid(self, obj: SavedSearch) -> str:
        return self.feed_url(obj)

    def items(self, obj: SavedSearch) -> list[selectors.ResultItem]:
        return obj.page.items

    def item_title(self, item: selectors.ResultItem) -> str:
        return item.presented.title

    def item_description(self, item: selectors.ResultItem) -> str:
        return item.presented.snippet or item.presented.title

    def item_link(self, item: selectors.ResultItem) -> str:
        return item.presented.url

    def item_guid(self, item: selectors.ResultItem) -> str:
        return f"urn:gongkai:{item.doc_type}:{item.presented.index_no}"

    def item_pubdate(self, item: selectors.ResultItem) -> dt.datetime:
        return item.presented.published_at

    def item_author_name(self, item: selectors.ResultItem) -> str:
        return item.presented.agency.name
