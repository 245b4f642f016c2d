"""The portal's URLs plus one view that fails, to reach the 500 handler."""

from django.urls import path

from portal.urls import (  # noqa: F401 - the handlers are read from this module
    handler400,
    handler403,
    handler404,
    handler500,
    urlpatterns,
)


def _fail(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [
    path("boom/", _fail),
    path("api/v1/boom/", _fail),
    *urlpatterns,
]
