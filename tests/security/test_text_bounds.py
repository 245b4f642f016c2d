"""Every free-text input is bounded: in the form, in the API schema, in the service.

A text with no bound reached the database whole. The limits live in one table
(``portal.validation.TEXT_LIMITS``); these tests walk every form and every API
input serializer so that a text field added later without a limit fails here,
and send oversize texts through the real client to each entity, page and API:
each answers 400 (or a form error) naming the field, stores nothing, and never
truncates.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect

import pytest

from django import forms
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework import serializers

from negative_list import services as nl_services
from negative_list.models import Entry, Interpretation, Provision, ReviewCycle
from portal.errors import DomainError
from portal.models import Agency, CalendarOverride
from portal.validation import TEXT_LIMITS, TEXT_TOO_LONG, check_lengths, limit
from requests_ import services as rq_services
from requests_.forms import DisclosureForm
from requests_.models import Disclosure
from requests_.models.choices import RequestStatus
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

FORM_MODULES = (
    "portal.forms",
    "negative_list.forms",
    "requests_.forms",
    "search.forms",
)
# Nested serializer classes of an API view that read client input.
INPUT_NAMES = ("Input", "Filter")


def _form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


def _views(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if view is not None:
                yield view


def _input_serializers():
    seen = set()
    for view in _views():
        for name in INPUT_NAMES:
            cls = getattr(view, name, None)
            if (
                inspect.isclass(cls)
                and issubclass(cls, serializers.BaseSerializer)
                and cls not in seen
            ):
                seen.add(cls)
                yield view, cls


def _unbounded(fields, prefix=""):
    for name, field in fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListField):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from _unbounded(field.fields, f"{prefix}{name}.")
        elif isinstance(field, serializers.CharField) and field.max_length is None:
            yield f"{prefix}{name}"


def test_every_form_text_field_has_a_limit():
    """Each CharField of every form (EmailField etc. included) states a max_length,
    which Django renders as the maxlength attribute."""
    classes = list(_form_classes())
    assert len(classes) > 25
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert unbounded == []


def test_every_api_input_text_field_has_a_limit():
    """Each text field of every API input serializer has max_length, so the schema
    states maxLength and DRF refuses a longer text before the service runs."""
    found = list(_input_serializers())
    assert len(found) > 30
    unbounded = [
        f"{view.__module__}.{view.__name__}.{cls.__name__}.{name}"
        for view, cls in found
        for name in _unbounded(cls().fields)
    ]
    assert unbounded == []


def test_form_and_api_limits_never_exceed_the_database_columns():
    """A limit of a text stored in a CharField is no larger than the column."""
    from negative_list.models import EntryVersion
    from portal.models import Agency as AgencyModel

    columns = {
        ("disclosure", "title"): Disclosure,
        ("disclosure", "doc_no"): Disclosure,
        ("disclosure", "keywords"): Disclosure,
        ("entry", "title"): EntryVersion,
        ("entry", "responsible_unit"): EntryVersion,
        ("entry", "basis_note"): EntryVersion,
        ("provision", "law"): Provision,
        ("provision", "article"): Provision,
        ("review_cycle", "title"): ReviewCycle,
        ("agency", "name"): AgencyModel,
        ("agency", "short_name"): AgencyModel,
        ("calendar_override", "note"): CalendarOverride,
    }
    for (entity, field), model in columns.items():
        assert limit(entity, field) <= model._meta.get_field(field).max_length


def test_check_lengths_names_the_field_and_never_truncates():
    with pytest.raises(DomainError) as refused:
        check_lengths(
            "disclosure", {"summary": "概" * (limit("disclosure", "summary") + 1)}
        )
    assert refused.value.field == "summary"
    assert refused.value.code == "too_long"
    assert refused.value.message == str(TEXT_TOO_LONG) % {
        "limit": limit("disclosure", "summary"),
        "length": limit("disclosure", "summary") + 1,
    }
    check_lengths("disclosure", {"summary": "概" * limit("disclosure", "summary")})


# --- through the client, entity by entity ---------------------------------------------


def _over(entity: str, field: str) -> str:
    return "长" * (TEXT_LIMITS[entity][field] + 1)


def _api_error(response) -> dict:
    assert response.status_code == 400, response.content[:300]
    return response.json()["error"]


def _json(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "summary", "body", "keywords", "doc_no"])
def test_disclosure_update_refuses_oversize_text(matrix, field):
    """API and workspace page: 400 naming the field; the draft keeps its text."""
    draft = rq.converted_draft(matrix.user("editor_a"), matrix.agency_a, body="原文")
    client = matrix.client("editor_a")
    response = _json(
        client,
        f"/api/v1/staff/disclosures/{draft.pk}/update/",
        {field: _over("disclosure", field)},
    )
    assert list(_api_error(response)["fields"]) == [field]
    page = client.post(
        f"/workspace/disclosures/{draft.pk}/edit/",
        {"title": "名称", field: _over("disclosure", field)},
        follow=True,
    )
    # The edit form posts from the disclosure page, which shows the field's label
    # with Django's max_length message, in Chinese.
    label = str(DisclosureForm.base_fields[field].label)
    assert page.status_code in (200, 400)
    assert f"{label}：" in page.content.decode()
    assert str(limit("disclosure", field)) in page.content.decode()
    draft.refresh_from_db()
    assert draft.body == "原文"
    assert len(getattr(draft, field)) <= limit("disclosure", field)


@pytest.mark.django_db
def test_disclosure_service_refuses_oversize_text_whatever_the_caller(matrix):
    """The service itself refuses, so an import or a command is bounded too."""
    draft = rq.converted_draft(matrix.user("editor_a"), matrix.agency_a)
    with pytest.raises(DomainError) as refused:
        rq_services.disclosure_update(
            actor=matrix.user("editor_a"),
            disclosure=draft,
            keywords=_over("disclosure", "keywords"),
        )
    assert refused.value.field == "keywords"


@pytest.mark.django_db
def test_disclosure_return_and_screening_reasons_are_bounded(matrix):
    draft = rq.submitted(
        matrix.user("editor_a"), matrix.agency_a, body="联系电话13812345678。"
    )
    client = matrix.client("reviewer_a")
    base = f"/api/v1/staff/disclosures/{draft.pk}/"
    response = _json(
        client, f"{base}return/", {"reason": _over("disclosure", "reason")}
    )
    assert list(_api_error(response)["fields"]) == ["reason"]
    hit = draft.screening_hits.get()
    response = _json(
        client, f"{base}hits/{hit.pk}/accept/", {"reason": _over("screening", "reason")}
    )
    assert list(_api_error(response)["fields"]) == ["reason"]
    hit.refresh_from_db()
    assert hit.reason == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("step", "data", "field"),
    [
        ("reply", {"outcome": "disclosed"}, "reply_text"),
        ("request-correction", {}, "notice"),
        ("withdraw", {}, "reason"),
        ("pause", {"kind": "third_party"}, "note"),
    ],
)
def test_request_steps_refuse_oversize_text(matrix, step, data, field):
    request, _ = rq.register(matrix.user("editor_a"), matrix.agency_a)
    response = _json(
        matrix.client("editor_a"),
        f"/api/v1/requests/{request.pk}/{step}/",
        {**data, field: _over("request_step", field)},
    )
    assert list(_api_error(response)["fields"]) == [field]
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED


@pytest.mark.django_db
def test_request_step_service_refuses_oversize_text(matrix):
    request, _ = rq.register(matrix.user("editor_a"), matrix.agency_a)
    with pytest.raises(DomainError) as refused:
        rq_services.request_reply(
            actor=matrix.user("editor_a"),
            request=request,
            outcome="disclosed",
            reply_text=_over("request_step", "reply_text"),
        )
    assert refused.value.field == "reply_text"


@pytest.mark.django_db
def test_appeal_note_is_bounded(matrix):
    request = rq.replied(matrix.user("editor_a"), matrix.agency_a)
    response = _json(
        matrix.client("editor_a"),
        f"/api/v1/requests/{request.pk}/appeals/",
        {
            "kind": "review",
            "filed_on": timezone.localdate().isoformat(),
            "note": _over("appeal", "note"),
        },
    )
    assert list(_api_error(response)["fields"]) == ["note"]
    assert not request.appeals.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["scope", "notes", "title"])
def test_entry_create_refuses_oversize_text(matrix, field):
    """API and workspace page refuse; so does the service under both."""
    client = matrix.client("editor_a")
    wording = {
        "category": nl.exemption("process_info").pk,
        "title": "内部讨论记录",
        "scope": "会议讨论记录",
        field: _over("entry", field),
    }
    response = _json(
        client,
        "/api/v1/negative-lists/entries/create/",
        {**wording, "agency": matrix.agency_a.code},
    )
    assert list(_api_error(response)["fields"]) == [field]
    page = client.post("/workspace/negative-list/entries/new/", wording)
    assert page.status_code in (200, 400)
    assert field in page.context["form"].errors
    with pytest.raises(DomainError) as refused:
        nl_services.entry_create(
            actor=matrix.user("editor_a"),
            agency=matrix.agency_a,
            content=nl.content(**{field: _over("entry", field)}),
        )
    assert refused.value.field == field
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_entry_return_reason_is_bounded(matrix):
    entry = nl.submitted(matrix.user("editor_a"), matrix.agency_a)
    response = _json(
        matrix.client("reviewer_a"),
        f"/api/v1/negative-lists/entries/{entry.pk}/return/",
        {"reason": _over("entry", "reason")},
    )
    assert list(_api_error(response)["fields"]) == ["reason"]
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED


@pytest.mark.django_db
def test_interpretation_is_bounded(matrix):
    client = matrix.client("editor_a")
    code = matrix.agency_a.code
    texts = {
        "review_basis": "<p>依据</p>",
        "adjustment_standards": _over("interpretation", "adjustment_standards"),
        "operating_procedure": "",
    }
    response = _json(
        client, f"/api/v1/negative-lists/agencies/{code}/interpretation/update/", texts
    )
    assert list(_api_error(response)["fields"]) == ["adjustment_standards"]
    page = client.post(
        f"/workspace/negative-list/agencies/{code}/interpretation/", texts
    )
    assert page.status_code in (200, 400)
    assert list(page.context["form"].errors) == ["adjustment_standards"]
    assert not Interpretation.objects.exists()


@pytest.mark.django_db
def test_provision_text_is_bounded(matrix):
    client = matrix.client("coordinator")
    before = Provision.objects.count()
    data = {
        "law": "《某某条例》",
        "article": "第一条",
        "text": _over("provision", "text"),
    }
    response = _json(client, "/api/v1/negative-lists/provisions/create/", data)
    assert list(_api_error(response)["fields"]) == ["text"]
    page = client.post("/workspace/negative-list/provisions/", data)
    assert page.status_code in (200, 400)
    assert list(page.context["form"].errors) == ["text"]
    assert Provision.objects.count() == before


@pytest.mark.django_db
def test_review_task_reasons_and_publish_note_are_bounded(matrix):
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    nl.approved(editor, reviewer, matrix.agency_a)
    response = _json(
        matrix.client("reviewer_a"),
        f"/api/v1/negative-lists/agencies/{matrix.agency_a.code}/publish/",
        {"note": _over("list_version", "note")},
    )
    assert list(_api_error(response)["fields"]) == ["note"]
    with pytest.raises(DomainError) as refused:
        nl_services.review_cycle_open(
            actor=matrix.user("coordinator"),
            title=_over("review_cycle", "title"),
            agency=matrix.agency_a,
            due_on=timezone.localdate() + dt.timedelta(days=30),
        )
    assert refused.value.field == "title"


@pytest.mark.django_db
def test_calendar_override_note_is_refused_not_truncated(matrix):
    """The service used to cut the note at 100 characters without a word."""
    note = _over("calendar_override", "note")
    client = matrix.client("coordinator")
    response = _json(
        client,
        "/api/v1/calendar/overrides/set/",
        {"date": "2030-10-08", "is_workday": True, "note": note},
    )
    assert list(_api_error(response)["fields"]) == ["note"]
    from portal import services as portal_services

    with pytest.raises(DomainError) as refused:
        portal_services.calendar_override_set(
            actor=matrix.user("coordinator"),
            date=dt.date(2030, 10, 8),
            is_workday=True,
            note=note,
        )
    assert refused.value.field == "note"
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_agency_and_user_texts_are_bounded(matrix):
    from portal import services as portal_services

    client = matrix.client("coordinator")
    response = _json(
        client,
        "/api/v1/agencies/create/",
        {
            "code": "310199000",
            "name": "某某局",
            "kind": "subunit",
            "parent": matrix.agency_a.code,
            "short_name": _over("agency", "short_name"),
        },
    )
    assert list(_api_error(response)["fields"]) == ["short_name"]
    assert not Agency.objects.filter(code="310199000").exists()
    with pytest.raises(DomainError) as refused:
        portal_services.user_create(
            actor=matrix.user("coordinator"),
            username="new_clerk",
            password="a-Long-enough-passw0rd",
            full_name=_over("user", "full_name"),
            agency=matrix.agency_a,
        )
    assert refused.value.field == "full_name"


@pytest.mark.django_db
def test_request_form_states_its_limits_in_the_page(client):
    """The public form carries maxlength on every text input it shows."""
    html = client.get("/requests/new/").content.decode()
    assert f'maxlength="{limit("request", "description")}"' in html
    assert f'maxlength="{limit("request", "applicant_address")}"' in html


@pytest.mark.django_db
def test_api_schema_states_the_limits(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()["components"][
        "schemas"
    ]
    bodies = [s for name, s in schema.items() if "DisclosureUpdate" in name]
    assert bodies
    props = bodies[0]["properties"]
    assert props["body"]["maxLength"] == limit("disclosure", "body")
    assert props["summary"]["maxLength"] == limit("disclosure", "summary")


@pytest.mark.django_db
def test_disclosure_import_names_the_row_and_column_of_an_oversize_text(matrix):
    """The column import reads the same table: a summary one character too long is
    a row error naming its row and column, and nothing is written."""
    from requests_.services.imports import validate_rows

    row = {
        "index_no": "",
        "title": "某文件",
        "body": "正文",
        "agency": matrix.agency_a.code,
        "topic": "",
        "doc_no": "",
        "written_on": "",
        "published_on": "2025-03-01",
        "keywords": "",
        "summary": _over("disclosure", "summary"),
    }
    _parsed, errors = validate_rows([(2, row)])
    assert [(e.row, e.column) for e in errors] == [(2, "summary")]
    assert str(limit("disclosure", "summary")) in errors[0].message


@pytest.mark.django_db
def test_entry_import_names_the_row_and_column_of_an_oversize_scope(matrix):
    from negative_list.services.imports import validate_rows
    from portal.imports import ImportInvalid

    header = ["序号", "类别", "事项名称", "具体范围", "不予公开的法律政策依据", "说明"]
    row = [
        "1",
        "过程性信息",
        "会议记录",
        _over("entry", "scope"),
        "《中华人民共和国政府信息公开条例》第十六条第二款",
        "",
    ]
    nl.provision()
    with pytest.raises(ImportInvalid) as refused:
        validate_rows([header, row])
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (2, "具体范围", f"超过 {limit('entry', 'scope')} 个字符。")
    ]
