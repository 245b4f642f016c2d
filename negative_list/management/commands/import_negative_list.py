"""Import an agency's negative list from an XLSX or CSV file as draft entries."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from negative_list import services
from portal.imports.command import import_path, refusal_reported
from portal.models import Agency


class Command(BaseCommand):
    help = (
        "Import a negative list (columns 序号, 类别, 事项名称, 具体范围, "
        "不予公开的法律政策依据, 说明) as draft entries; nothing is imported if any "
        "row is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="an .xlsx or .csv file")
        parser.add_argument(
            "--agency", required=True, help="agency code, e.g. 310101000"
        )
        parser.add_argument(
            "--user",
            help="username recorded as author (default: the operator, as 'system')",
        )

    def handle(self, *args, **options) -> None:
        path = import_path(Path(options["path"]))
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"机构代码不存在：{options['agency']}")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"用户不存在：{options['user']}")
        with refusal_reported(self.stderr):
            entries = services.entries_import(
                actor=actor, agency=agency, data=path.read_bytes(), filename=path.name
            )
        self.stdout.write(
            self.style.SUCCESS(f"已导入{len(entries)}个事项（草稿）：{agency.name}")
        )
