"""A letter as the reader sees it: salutation, body, agency and date; DOCX and text.

The applicant's name is read from the request (encrypted at rest) only here, and
only for the handling agency's staff (``can_read_identity``): their page and their
DOCX, the copy that is printed, stamped and posted. Every other copy (the page and
DOCX behind the applicant's secret link, the e-mail, a coordinator's view) names
the applicant by the request's tracking code: a link can be forwarded, and the
applicant's identity never leaves for a public place.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from letters.drafting import cn_date
from letters.models import Letter

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Shown:
    """A letter laid out: every part the page, the DOCX and the e-mail print."""

    title: str
    number: str
    salutation: str
    paragraphs: list[str]
    agency: str
    date: str
    draft: bool


def salutation(letter: Letter, *, identity: bool) -> str:
    """Return the letter's addressee line, the applicant's name only if allowed."""
    if not letter.to_applicant:
        return f"{letter.addressee}：" if letter.addressee else ""
    if identity:
        return f"{letter.request.applicant_name}："
    return _("申请人（查询码 %(code)s）：") % {"code": letter.request.tracking_code}


def shown(letter: Letter, *, identity: bool) -> Shown:
    """Lay ``letter`` out; ``identity``: the reader may see the applicant's name."""
    day = letter.letter_date or timezone.localdate()
    return Shown(
        title=letter.title,
        number=letter.number,
        salutation=salutation(letter, identity=identity),
        paragraphs=[line for line in letter.body.splitlines() if line.strip()],
        agency=letter.agency.name,
        date=cn_date(day),
        draft=not letter.is_frozen,
    )


def as_text(layout: Shown) -> str:
    """Return the letter as plain text (the e-mail body)."""
    lines = [layout.title]
    if layout.number:
        lines.append(layout.number)
    lines += ["", layout.salutation, *layout.paragraphs, "", layout.agency, layout.date]
    return "\n".join(lines)


def as_docx(layout: Shown) -> bytes:
    """Return the letter as a DOCX document for printing and stamping."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    document.core_properties.author = layout.agency
    document.core_properties.title = layout.title
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(layout.title)
    run.bold = True
    run.font.size = Pt(18)
    if layout.number or layout.draft:
        number = document.add_paragraph(layout.number or _("（草稿，签发时编号）"))
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(layout.salutation)
    for text in layout.paragraphs:
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(24)
    for text in (layout.agency, layout.date):
        closing = document.add_paragraph(text)
        closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_name(letter: Letter) -> str:
    kind = letter.get_kind_display()
    return f"{kind}-{letter.number or letter.request.tracking_code}.docx"
