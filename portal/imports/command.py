"""What the file-import commands share: the file argument, the empty template, and
how a refused file is reported (each row's problem on stderr, then the refusal).

``import_agencies`` and ``import_staff`` are ``SheetImportCommand``s;
``import_negative_list`` and ``import_disclosures`` use ``import_path`` and
``refusal_reported`` alone, since they take no template.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.errors import DomainError
from portal.imports.common import Column
from portal.imports.templates import template_xlsx


def import_path(path: Path | None) -> Path:
    """Return ``path`` if it names a file; refuse the command otherwise."""
    if path is None or not path.is_file():
        raise CommandError(f"{path}: no such file")
    return path


@contextmanager
def refusal_reported(stderr: TextIO) -> Iterator[None]:
    """Turn a refused import into a ``CommandError``, writing each listed problem
    (the ``errors`` of ``ImportInvalid`` and its kin) to ``stderr`` first."""
    try:
        yield
    except DomainError as exc:
        for error in getattr(exc, "errors", ()):
            stderr.write(str(error))
        raise CommandError(exc.message) from exc


class SheetImportCommand(BaseCommand):
    """A command that imports one sheet (``PATH``) or writes its template."""

    columns: tuple[Column, ...] = ()
    template_name = ""

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
            options["template"].write_bytes(
                template_xlsx(self.columns, self.template_name)
            )
            self.stdout.write(f"已写出模板：{options['template']}")
            return
        path = import_path(options["path"])
        self.check_options(options)
        with refusal_reported(self.stderr):
            result = self.run_import(path.read_bytes(), path.name, options)
        self.report(result, options)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse options that do not go together (nothing by default)."""

    def run_import(self, data: bytes, filename: str, options: dict[str, Any]) -> Any:
        raise NotImplementedError

    def report(self, result: Any, options: dict[str, Any]) -> None:
        raise NotImplementedError
