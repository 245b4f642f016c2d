"""Read-only admin of letters: every change goes through the services.

The wording of letters is not edited here: templates are files deployed with the
portal (``letters.drafting``), because template code runs on the server.
"""

from __future__ import annotations

from django.contrib import admin

from letters.models import Letter, LetterCounter
from portal.admin import ReadOnlyAdmin


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "status", "agency", "letter_date")
    list_filter = ("kind", "status")
    search_fields = ("number",)
    # The body quotes the request's title; it is read on the workspace page.
    exclude = ("body", "addressee")


@admin.register(LetterCounter)
class LetterCounterAdmin(ReadOnlyAdmin):
    list_display = ("agency", "year", "last_sequence")
