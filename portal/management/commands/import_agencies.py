"""manage.py import_agencies PATH | --template PATH"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.errors import DomainError
from portal.imports import ImportInvalid, agencies_import
from portal.imports.agencies import COLUMNS
from portal.imports.templates import template_xlsx


class Command(BaseCommand):
    help = (
        "Create and update agencies from an XLSX or CSV file (columns 机构代码, 名称, "
        "简称, 类型, 上级机构代码, 发文字号前缀, 行政复议机关, 行政诉讼管辖法院). "
        "The whole file is validated first; nothing changes if any row is wrong. "
        "Re-importing updates agencies in place by their code."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?")
        parser.add_argument(
            "--template",
            type=Path,
            metavar="PATH",
            help="Write an empty XLSX template (with the columns explained) to PATH.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"]:
            options["template"].write_bytes(template_xlsx(COLUMNS, "agencies"))
            self.stdout.write(f"已写出模板：{options['template']}")
            return
        path: Path | None = options["path"]
        if path is None or not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = agencies_import(
                actor=None, data=path.read_bytes(), filename=path.name
            )
        except ImportInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"新建 {len(result.created)} 个机构，更新 {len(result.updated)} 个，"
                f"未变 {result.unchanged} 个。"
            )
        )
