"""Letter pages: the staff's draft, edit, issue and void; the applicant's copy.

Staff reach a letter through ``readable_letters_qs`` (404 outside it); the buttons
are the actions ``allowed_actions`` returns. The applicant reaches issued letters
and released files only through the secret link of the request
(``requests_.views.public.tracked_link``, the one door of that link: the same
404 and guessing limit as the status page).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from letters import forms, permissions, rendering, selectors, services
from letters.models import Letter, ReleasedFile
from letters.transitions import LETTER_TRANSITIONS, LetterAction
from portal.decorators import staff_required
from portal.web import REFUSED, post_from_page, report_form, run_service
from portal.workflow import allowed_actions
from requests_.models import DisclosureRequest
from requests_.permissions import can_read_identity, readable_requests_qs
from requests_.views._common import download
from requests_.views.public import tracked_link


def _letter(request: HttpRequest, pk: int) -> Letter:
    return get_object_or_404(
        permissions.readable_letters_qs(request.user).select_related(
            "request", "agency"
        ),
        pk=pk,
    )


def _request(request: HttpRequest, pk: int) -> DisclosureRequest:
    return get_object_or_404(readable_requests_qs(request.user), pk=pk)


def _workspace(item: DisclosureRequest) -> HttpResponse:
    return redirect(reverse("requests_:request_detail", args=[item.pk]) + "#letters")


def _back_to_workspace(
    request: HttpRequest, item: DisclosureRequest, status: int
) -> HttpResponse:
    """A refused step from the request's letters panel: back to it, the message
    shown there (the panel lives on the request's page, not here)."""
    return _workspace(item)


def _letter_page(
    request: HttpRequest,
    letter: Letter,
    *,
    edit_form: forms.LetterEditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    actions = allowed_actions(LETTER_TRANSITIONS, letter, user)
    if edit_form is None and LetterAction.EDIT in actions:
        edit_form = forms.LetterEditForm(
            initial={"body": letter.body, "addressee": letter.addressee}
        )
    context = {
        "letter": letter,
        "shown": rendering.shown(
            letter, identity=can_read_identity(user, letter.request)
        ),
        "actions": actions,
        "edit_form": edit_form if LetterAction.EDIT in actions else None,
        "void_form": forms.VoidForm() if LetterAction.VOID in actions else None,
        "docx_url": reverse("letters:letter_docx", args=[letter.pk]),
        "back_url": reverse("requests_:request_detail", args=[letter.request_id]),
    }
    return render(request, "letters/letter.html", context, status=status)


@staff_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the letter as it prints, with its draft form and buttons."""
    return _letter_page(request, _letter(request, pk))


@staff_required
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    layout = rendering.shown(
        letter, identity=can_read_identity(request.user, letter.request)
    )
    return _docx_response(letter, layout)


def _docx_response(letter: Letter, layout: rendering.Shown) -> HttpResponse:
    from django.utils.encoding import escape_uri_path

    response = HttpResponse(rendering.as_docx(layout), content_type=rendering.DOCX_TYPE)
    name = rendering.docx_name(letter)
    response["Content-Disposition"] = (
        f'attachment; filename="letter-{letter.pk}.docx"; '
        f"filename*=UTF-8''{escape_uri_path(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@staff_required
def letter_new(request: HttpRequest, request_pk: int) -> HttpResponse:
    """Draft a letter of the chosen kind and open it."""
    item = _request(request, request_pk)
    return post_from_page(
        request,
        item,
        forms.DraftForm(request.POST),
        lambda data: services.letter_draft(
            actor=request.user, request=item, kind=data["kind"]
        ),
        _("文书草稿已生成，请核对后签发。"),
        page=_back_to_workspace,
        then=lambda letter: redirect("letters:letter_detail", pk=letter.pk),
    )


@require_POST
@staff_required
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    form = forms.LetterEditForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.letter_update(
            actor=request.user,
            letter=letter,
            body=form.cleaned_data["body"],
            addressee=form.cleaned_data["addressee"],
        ),
        form=form,
        success_message=_("草稿已保存。"),
    ):
        return redirect("letters:letter_detail", pk=letter.pk)
    return _letter_page(request, letter, edit_form=form, status=REFUSED)


ACTION_SERVICES = {
    LetterAction.ISSUE: (services.letter_issue, _("文书已签发。")),
    LetterAction.CANCEL: (services.letter_cancel, _("草稿已删除。")),
}


@require_POST
@staff_required
def letter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Issue, cancel or void the letter (the buttons of its page)."""
    letter = _letter(request, pk)
    if action == LetterAction.VOID:
        form = forms.VoidForm(request.POST)
        if not form.is_valid():
            report_form(request, form)
            return _letter_page(request, letter, status=REFUSED)

        def call() -> Any:
            return services.letter_void(
                actor=request.user, letter=letter, reason=form.cleaned_data["reason"]
            )

        done = run_service(
            request, call, labels=form, success_message=_("文书已作废。")
        )
    elif action in ACTION_SERVICES:
        service, message = ACTION_SERVICES[LetterAction(action)]
        done = run_service(
            request,
            lambda: service(actor=request.user, letter=letter),
            success_message=message,
        )
    else:
        raise Http404
    if not done:
        return _letter_page(request, letter, status=REFUSED)
    if action == LetterAction.CANCEL:
        return _workspace(letter.request)
    return redirect("letters:letter_detail", pk=letter.pk)


@require_POST
@staff_required
def file_add(request: HttpRequest, request_pk: int) -> HttpResponse:
    item = _request(request, request_pk)
    return post_from_page(
        request,
        item,
        forms.ReleasedFileForm(request.POST, request.FILES),
        lambda data: services.released_file_add(
            actor=request.user, request=item, file=data["file"]
        ),
        _("文件已添加，将随答复书提供给申请人。"),
        page=_back_to_workspace,
        then=lambda _file: _workspace(item),
    )


def _staff_file(request: HttpRequest, pk: int) -> ReleasedFile:
    released = get_object_or_404(ReleasedFile.objects.select_related("request"), pk=pk)
    if not permissions.can_read_released_file(request.user, released):
        raise Http404
    return released


@staff_required
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    released = _staff_file(request, pk)
    return download(released.file, released.original_name, released.content_type)


@require_POST
@staff_required
def file_remove(request: HttpRequest, pk: int) -> HttpResponse:
    released = _staff_file(request, pk)
    item = released.request
    run_service(
        request,
        lambda: services.released_file_remove(actor=request.user, released=released),
        success_message=_("文件已删除。"),
    )
    return _workspace(item)


# --- The applicant's copy, through the secret link -----------------------------------


def _applicant_letter(tracked: DisclosureRequest, pk: int) -> Letter:
    return get_object_or_404(selectors.applicant_letters(tracked), pk=pk)


@tracked_link
def public_letter(
    request: HttpRequest, tracked: DisclosureRequest, code: str, secret: str, pk: int
) -> HttpResponse:
    """Show an issued letter to the applicant, as it prints."""
    letter = _applicant_letter(tracked, pk)
    context = {
        "letter": letter,
        "shown": rendering.shown(letter, identity=False),
        "docx_url": reverse("letters:public_letter_docx", args=[code, secret, pk]),
        "back_url": reverse("requests_:status", args=[code, secret]),
        "public": True,
    }
    # Cache-Control: private, no-store comes from portal.httpcache, as on every
    # page under a tracking link.
    response = render(request, "letters/letter.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@tracked_link
def public_letter_docx(
    request: HttpRequest, tracked: DisclosureRequest, code: str, secret: str, pk: int
) -> HttpResponse:
    letter = _applicant_letter(tracked, pk)
    return _docx_response(letter, rendering.shown(letter, identity=False))


@tracked_link
def public_file(
    request: HttpRequest, tracked: DisclosureRequest, code: str, secret: str, pk: int
) -> HttpResponse:
    released = get_object_or_404(selectors.applicant_files(tracked), pk=pk)
    return download(released.file, released.original_name, released.content_type)
