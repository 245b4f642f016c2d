"""Write an open dataset as CSV, XLSX or JSON, the same rows in each format.

An app describes its dataset (``portal.extensions.OpenDataset``) and yields its
rows as dicts keyed by the field names; these writers turn them into a download.
CSV is streamed row by row (the column grows without bound) and starts with a
UTF-8 byte-order mark, so Excel opens the Chinese text correctly. XLSX uses
openpyxl's write-only mode, which keeps memory flat; JSON is one document with the
field list and the rows. CSV and XLSX cells go through ``portal.exports``, so no
cell can begin a formula.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, StreamingHttpResponse

from portal.exports import BOM, SafeCsvWriter, append_row
from portal.extensions import OpenDataset

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx", "json")


class _Echo:
    """A file-like object whose write returns the line, for streaming csv."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _csv_lines(dataset: OpenDataset, rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = SafeCsvWriter(_Echo())
    names = [f.name for f in dataset.fields]
    yield BOM + writer.writerow(names)
    for row in rows:
        yield writer.writerow([_cell(row.get(name)) for name in names])


def _xlsx(dataset: OpenDataset, rows: Iterable[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=dataset.key[:31])
    names = [f.name for f in dataset.fields]
    append_row(sheet, names)
    for row in rows:
        append_row(sheet, [_cell(row.get(name)) for name in names])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _json(dataset: OpenDataset, rows: Iterable[dict[str, Any]]) -> bytes:
    document = {
        "dataset": dataset.key,
        "title": str(dataset.title),
        "fields": [
            {"name": f.name, "type": f.type, "meaning": str(f.meaning)}
            for f in dataset.fields
        ],
        "rows": [
            {f.name: _cell(row.get(f.name)) for f in dataset.fields} for row in rows
        ],
    }
    return json.dumps(document, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def download(
    dataset: OpenDataset, rows: Iterable[dict[str, Any]], fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """Return the dataset in ``fmt`` (csv, xlsx or json) as an attachment."""
    if fmt not in FORMATS or fmt not in dataset.formats:
        raise Http404
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(dataset, rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx(dataset, rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(
            _json(dataset, rows), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{dataset.key}.{fmt}"'
    return response
