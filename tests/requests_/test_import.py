"""manage.py import_disclosures: CSV, XLSX, JSON Lines; all or nothing."""

from __future__ import annotations

import csv
import json

import pytest

from django.core.management import CommandError, call_command

from portal.audit import events_for
from portal.models import Agency
from requests_.models import Disclosure
from search.models import OutboxEntry

pytestmark = pytest.mark.django_db

HEADER = [
    "index_no",
    "title",
    "body",
    "agency",
    "topic",
    "doc_no",
    "written_on",
    "published_on",
    "keywords",
    "summary",
]


def _row(**values):
    row = dict.fromkeys(HEADER, "")
    row.update(
        title="黄浦区2024年度旧住房综合改造项目计划",
        body="2024年度计划实施旧住房综合改造项目18个。",
        agency="310101000",
        topic="1001",
        published_on="2024-03-15",
        written_on="2024年3月8日",
        keywords="旧住房改造，民生",
    )
    row.update(values)
    return row


def _csv(tmp_path, rows, name="column.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_csv_import_publishes_generates_index_numbers_and_enqueues(matrix, tmp_path):
    """Blank index numbers are generated in the publication year; every item is
    published at once and queued for the search index."""
    path = _csv(
        tmp_path,
        [
            _row(),
            _row(title="第二条", index_no="310101000/2024-00007"),
            _row(title="三"),
        ],
    )
    call_command("import_disclosures", str(path))
    numbers = sorted(Disclosure.objects.values_list("index_no", flat=True))
    assert numbers == [
        "310101000/2024-00001",
        "310101000/2024-00007",
        "310101000/2024-00008",
    ]
    item = Disclosure.objects.get(title="第二条")
    assert item.is_public()
    assert item.source == "import"
    assert item.written_on.isoformat() == "2024-03-08"
    assert item.topic.code == "1001"
    assert (
        OutboxEntry.objects.filter(doc_type="disclosure", action="upsert").count() == 3
    )


def test_agency_by_name_and_topic_by_name(matrix, tmp_path):
    """The agency column takes a code or a name; the topic a code or a name."""
    path = _csv(
        tmp_path, [_row(agency="上海市徐汇区人民政府", topic="财政、金融、审计")]
    )
    call_command("import_disclosures", str(path))
    item = Disclosure.objects.get()
    assert item.agency == matrix.agency_b
    assert item.topic.code == "04"


def test_one_bad_row_imports_nothing_and_names_row_and_column(matrix, tmp_path):
    """A wrong date in row 3 and an unknown agency in row 4 stop the whole file."""
    path = _csv(
        tmp_path,
        [_row(), _row(published_on="15/03/2024"), _row(agency="不存在的机关"), _row()],
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_disclosures", str(path))
    assert "2 处错误" in str(exc.value)
    assert not Disclosure.objects.exists()
    assert not OutboxEntry.objects.exists()


def test_errors_are_listed_with_row_and_column(matrix, tmp_path, capsys):
    """Each error line names the row (counting the header as row 1) and column."""
    from io import StringIO

    path = _csv(tmp_path, [_row(), _row(title=""), _row(index_no="bad number")])
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_disclosures", str(path), stderr=err)
    output = err.getvalue()
    assert "第 3 行，title 列" in output
    assert "第 4 行，index_no 列" in output


def test_duplicate_index_number_in_file_or_database_is_refused(matrix, tmp_path):
    """An index number used twice in the file, or already in the portal, fails."""
    Disclosure.objects.create(agency=matrix.agency_a, index_no="310101000/2020-00001")
    path = _csv(
        tmp_path,
        [
            _row(index_no="310101000/2020-00001"),
            _row(index_no="310101000/2024-00002"),
            _row(index_no="310101000/2024-00002"),
        ],
    )
    with pytest.raises(CommandError):
        call_command("import_disclosures", str(path))
    assert Disclosure.objects.count() == 1


def test_unknown_agency_created_with_flag(matrix, tmp_path):
    """--create-agencies creates unknown agencies under the city, each through the
    agency service (so with its audit event)."""
    path = _csv(tmp_path, [_row(agency="上海市黄浦区档案局"), _row(agency="310101099")])
    call_command("import_disclosures", str(path), "--create-agencies")
    created = Agency.objects.get(name="上海市黄浦区档案局")
    assert created.parent == matrix.city
    assert created.tree_path == f"{matrix.city.tree_path}{created.pk}/"
    assert created.kind == Agency.Kind.DEPARTMENT
    assert [e.verb for e in events_for(created)] == ["agency.create"]
    assert Agency.objects.filter(code="310101099").exists()
    assert Disclosure.objects.count() == 2


def test_xlsx_import(matrix, tmp_path):
    """A workbook's first sheet is read, dates as spreadsheet dates."""
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row = _row()
    row["published_on"] = dt.datetime(2023, 5, 6)
    sheet.append([row[c] for c in HEADER])
    path = tmp_path / "column.xlsx"
    workbook.save(path)
    call_command("import_disclosures", str(path))
    assert Disclosure.objects.get().index_no == "310101000/2023-00001"


def test_jsonl_import_and_bad_line(matrix, tmp_path):
    """JSON Lines: one object a line; a broken line stops the import."""
    path = tmp_path / "column.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(_row(title=f"第{n}条"), ensure_ascii=False) for n in range(3)
        ),
        encoding="utf-8",
    )
    call_command("import_disclosures", str(path))
    assert Disclosure.objects.count() == 3
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(_row(), ensure_ascii=False) + "\n{not json\n", encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("import_disclosures", str(bad))
    assert Disclosure.objects.count() == 3


def test_unsupported_format_and_missing_file(tmp_path):
    """Other formats and missing files are refused with a clear message."""
    path = tmp_path / "column.txt"
    path.write_text("x")
    with pytest.raises(CommandError):
        call_command("import_disclosures", str(path))
    with pytest.raises(CommandError):
        call_command("import_disclosures", str(tmp_path / "missing.csv"))
