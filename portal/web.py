"""Run a service from a view and answer its refusal the one way, in every app.

The rule, for every workspace and public page that calls a service:

- A **permission refusal** (a ``DomainError`` with ``status == 403``: no right here,
  four eyes) raises Django's ``PermissionDenied`` with the service's message, so the
  403 page renders and says why. The API answers the same refusal with 403 too.
- **Any other refusal** (wrong state, a broken rule, a bad value) changes nothing and
  re-renders the page the user acted on with **status 400** and the service's
  message: at the field it names on a page that holds the form (``form=``), or as an
  error message above the page, prefixed by the field's label, when the POST came
  from a button or a small form on another page (``labels=``). Invalid input is
  answered the same way (``form_status`` / ``report_form``).
- Success adds ``success_message`` (if any); the view then redirects (POST, redirect,
  GET), so a reload never repeats the action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from portal.errors import DomainError, error_lines
from portal.jobs import job_submit

T = TypeVar("T")

OK = 200
REFUSED = 400


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a service call from a view came to; true when the service succeeded."""

    value: T | None = None
    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        """The status of the page re-rendered after the call."""
        return OK if self.error is None else REFUSED


def run_service(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    form: forms.Form | None = None,
    labels: forms.Form | None = None,
    field: str | None = None,
    success_message: str | None = None,
) -> Outcome[T]:
    """Call ``call()`` and report a ``DomainError`` by the module's rule.

    ``form`` is the form the page re-renders: the error goes on the field it names
    (or ``field`` when it names none, or above the form). Without it the error
    becomes a message, with the label of the field it names in ``labels`` (the form
    the POST was validated with).
    """
    try:
        value = call()
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        if form is not None:
            form_error(form, exc, field=field)
        else:
            messages.error(request, _labelled(labels, exc.field, exc.message))
        return Outcome(error=exc)
    if success_message:
        messages.success(request, success_message)
    return Outcome(value=value)


def form_error(form: forms.Form, exc: DomainError, *, field: str | None = None) -> None:
    """Show a service's refusal at the field it names, or above the form."""
    named = exc.field or field
    form.add_error(named if named in form.fields else None, exc.message)


def form_status(form: forms.Form) -> int:
    """The status of a page showing ``form``: 400 once it carries an error."""
    return REFUSED if form.is_bound and form.errors else OK


def report_form(request: HttpRequest, form: forms.Form) -> None:
    """Turn an invalid form posted from another page into error messages."""
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, _labelled(form, field, error))


def _labelled(form: forms.Form | None, field: str | None, message: Any) -> str:
    label = ""
    if form is not None and field and field in form.fields:
        label = form.fields[field].label or ""
    return f"{label}：{message}" if label else str(message)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], T],
    *,
    template: str,
    done: Callable[[T], HttpResponse],
    context: dict[str, Any] | None = None,
    success_message: str | None = None,
) -> HttpResponse:
    """Serve a page that holds ``form``: on a valid POST run ``call()`` by the rule.

    Success answers ``done(value)`` (a redirect); a GET, invalid input or a refusal
    renders ``template`` with the form (400 once it carries an error). A ``context``
    may set ``form`` itself, e.g. to None where the page hides it from a reader
    without the right to use it.
    """
    if request.method == "POST" and form.is_valid():
        outcome = run_service(request, call, form=form, success_message=success_message)
        if outcome:
            return done(outcome.value)
    return render(
        request, template, {"form": form, **(context or {})}, status=form_status(form)
    )


def import_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    validate: Callable[..., int],
    kind: str,
    title: Any,
    checked: Any,
    template: str,
    field: str | None = None,
) -> HttpResponse:
    """Serve an import page: check the uploaded file whole, then import it in a job.

    ``form`` has ``agency`` and ``file``. ``validate(actor=, agency=, data=,
    filename=)`` returns the row count or raises a ``DomainError`` whose ``errors``
    name each row and column; they all show on the page at once. ``title`` and
    ``checked`` are messages taking ``%(name)s`` and ``%(count)d``.
    """
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        agency = form.cleaned_data["agency"]
        data = upload.read()

        def submit() -> tuple[int, Any]:
            count = validate(
                actor=request.user, agency=agency, data=data, filename=upload.name
            )
            job = job_submit(
                kind=kind,
                actor=request.user,
                agency=agency,
                title=title % {"name": upload.name},
                params={"filename": upload.name},
                input_name=upload.name,
                input_data=data,
                total=count,
            )
            return count, job

        submitted = run_service(request, submit, form=form, field=field)
        if submitted:
            count, job = submitted.value
            messages.success(request, checked % {"count": count})
            return redirect("workspace:job_detail", pk=job.pk)
        errors = error_lines(submitted.error)
    return render(
        request, template, {"form": form, "errors": errors}, status=form_status(form)
    )


def post_from_page(
    request: HttpRequest,
    obj: Any,
    form: forms.Form,
    call: Callable[[dict], Any],
    done: str,
    *,
    page: Callable[..., HttpResponse],
    then: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """Validate a form posted from ``obj``'s page and run ``call(data)``.

    Invalid input or a refusal re-renders the page, ``page(request, obj,
    status=400)``, with the message; success says ``done`` and answers
    ``then(value)``.
    """
    if not form.is_valid():
        report_form(request, form)
        return page(request, obj, status=form_status(form))
    outcome = run_service(
        request, lambda: call(form.cleaned_data), labels=form, success_message=done
    )
    if not outcome:
        return page(request, obj, status=outcome.status)
    return then(outcome.value)
