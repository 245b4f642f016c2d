"""Template access to the public projection (``requests_.projection``)."""

from __future__ import annotations

from django import template

from requests_ import projection
from requests_.models import Disclosure

register = template.Library()


@register.simple_tag
def public_catalogue(disclosure: Disclosure) -> list[projection.CatalogueRow]:
    """Return the catalogue panel of ``disclosure`` as the public page shows it.

    The staff page previews the panel with this; the public page gets it from
    its view, built from the same projection.
    """
    return projection.catalogue(projection.project(disclosure, attachments=False))
