"""The API's JSON and form parsers, with limits on size and nesting.

Python's ``json`` module recurses once per ``[`` or ``{``; a body of 50,000 ``[``
made DRF's parser raise ``RecursionError``, which is no ``ParseError`` and
answered 500. No API body of the portal nests more than a few levels, so the
parser counts the depth first (one pass over the bytes, outside strings) and
refuses anything deeper than ``MAX_JSON_DEPTH`` with a 400.

DRF's parsers also read the whole stream whatever its length, where Django's own
``request.body`` stops at ``DATA_UPLOAD_MAX_MEMORY_SIZE``; both parsers here read
at most that many bytes and answer 413 in the API's error shape beyond it.
"""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from portal.api_errors import RequestTooLarge

MAX_JSON_DEPTH = 32
TOO_DEEP = _("JSON 嵌套层数过多（最多 %(depth)d 层）。")

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(data: bytes, limit: int) -> int:
    """Return the deepest nesting of ``data``, stopping early past ``limit``."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b"", data)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        else:
            depth -= 1
    return deepest


def read_bounded(stream) -> bytes:
    """Read ``stream`` whole, or raise ``RequestTooLarge`` past the upload limit."""
    if stream is None:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RequestTooLarge()
    return data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies too large or nested too deep."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = read_bounded(stream)
        # Counting brackets runs in C; only a body with many needs the scan.
        brackets = data.count(b"[") + data.count(b"{")
        if brackets > MAX_JSON_DEPTH and json_depth(data, MAX_JSON_DEPTH) > (
            MAX_JSON_DEPTH
        ):
            raise ParseError(TOO_DEEP % {"depth": MAX_JSON_DEPTH})
        return super().parse(io.BytesIO(data), media_type, parser_context)


class FormParser(parsers.FormParser):
    """DRF's URL-encoded form parser, refusing bodies past the upload limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(
            io.BytesIO(read_bounded(stream)), media_type, parser_context
        )
