"""Forms of the letter pages (validation of shape only; the rules are services')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from letters.models import LetterKind
from portal.validation import TEXT_LIMITS

LIMITS = TEXT_LIMITS["letter"]


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("文书类型"), choices=LetterKind.choices)


class LetterEditForm(forms.Form):
    addressee = forms.CharField(
        label=_("收文对象"), required=False, max_length=LIMITS["addressee"]
    )
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=LIMITS["body"],
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("作废理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=LIMITS["void_reason"],
    )


class ReleasedFileForm(forms.Form):
    file = forms.FileField(label=_("提供给申请人的信息文件（PDF、DOCX、XLSX）"))
