"""manage.py import_disclosures PATH [--create-agencies]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandParser

from portal.imports.command import import_path, refusal_reported
from requests_.services.imports import disclosures_import, read_rows


class Command(BaseCommand):
    help = (
        "Import an existing column (CSV, XLSX or JSON Lines) as published disclosures. "
        "Columns: index_no, title, body, agency (code or name), topic, doc_no, "
        "written_on, published_on, keywords, summary. The whole file is validated "
        "first; nothing is imported if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--create-agencies",
            action="store_true",
            help="Create agencies the file names but the portal does not know.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = import_path(options["path"])
        with refusal_reported(self.stderr):
            rows = read_rows(path)
            created = disclosures_import(
                rows=rows,
                create_agencies=options["create_agencies"],
                progress=lambda items: tqdm(
                    items, desc="import", unit="row", file=self.stderr, disable=None
                ),
            )
        self.stdout.write(self.style.SUCCESS(f"已导入并发布 {len(created)} 条信息。"))
