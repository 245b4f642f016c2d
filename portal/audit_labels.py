"""Audit events in words: what happened, who did it, what changed, as labels.

The audit trail stores stable codes (``request.register``, ``status: received``,
foreign keys as ids, dates as ISO strings) so that rules can read it. People read
it through this module: one table of verb labels, which each app fills from its
``AppConfig.ready()`` (the core never imports the apps that build on it); field
names become the model field's ``verbose_name``; values become their choice
label, 是/否, a date in Chinese convention, a person's display name, or the
related object's name.

An event key that is not a field of the event's model (``kind`` and ``location``
of a screening hit, the ``user`` of a role grant) is registered with its label
and, if needed, a function that turns the stored value into words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEvent, Membership

Formatter = Callable[[Any], str]


@dataclass(frozen=True)
class KeyLabel:
    """How to show one event key that is not (only) a model field."""

    label: str
    format: Formatter | None = None


# verb → label; filled by each app's ready() through ``register_verbs``.
VERB_LABELS: dict[str, str] = {}
# (model label "app.model" or "*", key) → label and formatter.
KEY_LABELS: dict[tuple[str, str], KeyLabel] = {}
# model label → further models whose fields describe its events' keys (an entry's
# events carry the fields of its versions).
FIELD_MODELS: dict[str, tuple[str, ...]] = {}

ACTOR_LABELS = {"system": _("系统"), "public": _("申请人（公开渠道）")}
YES, NO, EMPTY = _("是"), _("否"), "—"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def register_verbs(labels: Mapping[str, str]) -> None:
    """Give each audit verb of an app its label (call from ``AppConfig.ready``)."""
    VERB_LABELS.update(labels)


def register_keys(model: str, labels: Mapping[str, KeyLabel]) -> None:
    """Label event keys of ``model`` ("app_label.model_name", or "*" for any)."""
    for key, label in labels.items():
        KEY_LABELS[model.lower(), key] = label


def register_field_models(model: str, *others: str) -> None:
    """Describe ``model``'s event keys with the fields of ``others`` too."""
    FIELD_MODELS[model.lower()] = tuple(other.lower() for other in others)


def verb_label(verb: str) -> str:
    """Return the verb's label; an unknown verb is shown as it is stored."""
    return str(VERB_LABELS.get(verb, verb))


# --- values ------------------------------------------------------------------------


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: dt.datetime) -> str:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{chinese_date(moment)} {moment:%H:%M}"


def plain_value(value: Any) -> str:
    """Turn a stored value into words without knowing its field."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return str(YES if value else NO)
    if isinstance(value, list):
        return "、".join(plain_value(v) for v in value)
    if isinstance(value, str) and ISO_DATETIME.match(value):
        try:
            return chinese_datetime(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return chinese_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str):
        # Rich text (a list's interpretation) is stored as sanitised HTML.
        return strip_tags(value).strip() or EMPTY
    return str(value)


@dataclass
class People:
    """Display names and agencies of users, looked up once per rendering."""

    by_id: dict[int, Any] = field(default_factory=dict)
    agency_of: dict[int, str] = field(default_factory=dict)

    def load(self, ids: Iterable[int]) -> None:
        wanted = {i for i in ids if i is not None and i not in self.by_id}
        if not wanted:
            return
        for user in get_user_model().objects.filter(pk__in=wanted):
            self.by_id[user.pk] = user
        memberships = (
            Membership.objects.filter(user_id__in=wanted)
            .select_related("agency")
            .order_by("agency__tree_path", "pk")
        )
        for membership in memberships:
            self.agency_of.setdefault(membership.user_id, membership.agency.name)

    def name(self, user_id: int | None) -> str:
        self.load([user_id])
        user = self.by_id.get(user_id)
        if user is None:
            return EMPTY
        return user.get_full_name() or user.get_username()

    def named(self, username: str) -> str:
        """Return the display name of the user called ``username`` (if any)."""
        model = get_user_model()
        user = model.objects.filter(**{model.USERNAME_FIELD: username}).first()
        if user is None:
            return username
        self.by_id.setdefault(user.pk, user)
        return self.name(user.pk)


def _related(field_: models.ForeignKey, value: Any, people: People) -> str:
    target = field_.related_model
    if target is get_user_model():
        return people.name(value)
    try:
        found = target._default_manager.filter(pk=value).first()
    except (TypeError, ValueError):
        found = None
    return str(found) if found is not None else plain_value(value)


def field_value(field_: models.Field, value: Any, people: People) -> str:
    """Turn a stored value of ``field_`` into words."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(field_, models.BooleanField):
        return str(YES if value else NO)
    if isinstance(field_, models.ForeignKey):
        return _related(field_, value, people)
    if isinstance(field_, models.ManyToManyField) and isinstance(value, list):
        try:
            found = list(field_.related_model._default_manager.filter(pk__in=value))
        except (TypeError, ValueError):
            return plain_value(value)
        return "、".join(str(obj) for obj in found) or EMPTY
    return plain_value(value)


# --- events ------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EventInWords:
    """One audit event as people read it."""

    event: AuditEvent
    verb: str
    actor: str
    actor_agency: str
    changes: list[Change]

    @property
    def created_at(self) -> dt.datetime:
        return self.event.created_at

    @property
    def note(self) -> str:
        return self.event.note


def _model_label(event: AuditEvent) -> str:
    model = event.content_type.model_class() if event.content_type_id else None
    return model._meta.label_lower if model is not None else ""


def _field(model_label: str, key: str) -> models.Field | None:
    for label in (model_label, *FIELD_MODELS.get(model_label, ())):
        try:
            return apps.get_model(label)._meta.get_field(key)
        except (LookupError, ValueError, FieldDoesNotExist):
            continue
    return None


def _registered(model_label: str, key: str) -> KeyLabel | None:
    return KEY_LABELS.get((model_label, key)) or KEY_LABELS.get(("*", key))


def describe_key(model_label: str, key: str) -> str:
    """Return the label of event key ``key`` of ``model_label`` ("app.model")."""
    registered = _registered(model_label, key)
    if registered is not None:
        return str(registered.label)
    field_ = _field(model_label, key)
    return str(field_.verbose_name) if field_ is not None else key


def _change(model_label: str, key: str, old: Any, new: Any, people: People) -> Change:
    registered = _registered(model_label, key)
    field_ = _field(model_label, key)
    label = describe_key(model_label, key)

    def show(value: Any) -> str:
        if value is None or value == "":
            return EMPTY
        if registered is not None and registered.format is not None:
            return registered.format(value)
        if field_ is not None and registered is None:
            return field_value(field_, value, people)
        return plain_value(value)

    return Change(label, show(old), show(new))


def in_words(
    events: Iterable[AuditEvent], people: People | None = None
) -> list[EventInWords]:
    """Describe ``events`` with labels, display names and values in words."""
    events = list(events)
    people = people or People()
    people.load(e.actor_id for e in events)
    described = []
    for event in events:
        model_label = _model_label(event)
        if event.actor_id is not None:
            actor = people.name(event.actor_id)
            agency = people.agency_of.get(event.actor_id, "")
        else:
            actor = str(ACTOR_LABELS.get(event.actor_label, event.actor_label))
            agency = ""
        changes = [
            _change(model_label, key, old, new, people)
            for key, old, new in event.changes()
        ]
        described.append(
            EventInWords(event, verb_label(event.verb), actor, agency, changes)
        )
    return described


def username_formatter(people: People | None = None) -> Formatter:
    """Return a formatter that shows a stored username as the person's name."""
    return lambda value: (people or People()).named(str(value))


def choices_formatter(choices: Iterable[tuple[Any, Any]]) -> Formatter:
    """Return a formatter that shows a stored choice value as its label."""
    table = dict(choices)
    return lambda value: str(table.get(value, value))


# --- the core's own verbs ----------------------------------------------------------

PORTAL_VERBS = {
    "agency.create": _("新建机构"),
    "agency.update": _("修改机构信息"),
    "user.create": _("新建用户"),
    "user.update": _("修改用户信息"),
    "membership.grant": _("授予角色"),
    "membership.revoke": _("撤销角色"),
    "calendar.override_set": _("设置工作日调整"),
    "calendar.override_delete": _("删除工作日调整"),
    "job.start": _("开始执行后台任务"),
    "job.fail": _("后台任务失败"),
    "job.finish": _("后台任务完成"),
}


def register() -> None:
    """Register the core's verbs and the keys its events carry beside fields."""
    register_verbs(PORTAL_VERBS)
    by_username = KeyLabel(_("用户"), username_formatter())
    register_keys("portal.membership", {"user": by_username})
    register_keys("auth.user", {"full_name": KeyLabel(_("姓名"))})
    register_keys("portal.job", {"done": KeyLabel(_("已处理"))})
