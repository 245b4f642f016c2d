"""Every state change of the shared core: agencies, roles, users, calendar overrides.

Each service is keyword-only, runs in one transaction, checks the actor's right,
writes, and appends an audit event. Views, the API, the admin and management
commands all come through here. ``actor=None`` is the operator at the command line
(``manage.py import_agencies`` on an empty database has nobody to act as): shell
access to the installation already is every right, so no predicate is asked and
the trail records "system". Views always pass the signed-in user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from portal import audit, permissions
from portal.calendar import check_supported
from portal.errors import DomainError, PermissionDenied
from portal.models import Agency, CalendarOverride, Membership, Role
from portal.validation import check_lengths

AGENCY_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "sort_order",
    "is_active",
    "doc_no_prefix",
    "review_body",
    "court",
)

ROOT_MUST_BE_CITY = _("没有上级机构的只能是市政府。")
CITY_HAS_NO_PARENT = _("市政府不能有上级机构。")
PARENT_CYCLE = _("不能把机构移动到它自己的下级之下。")
CODE_TAKEN = _("机构代码已被使用。")
NAME_TAKEN = _("机构名称已被使用。")
ROLE_EXISTS = _("该用户在此机构已有这一角色。")
USERNAME_TAKEN = _("用户名已被使用。")
OVERRIDE_NOTE_REQUIRED = _("请说明调整原因，例如“2027年春节调休”。")


def _check_tree(kind: str, parent: Agency | None) -> None:
    if parent is None and kind != Agency.Kind.CITY:
        raise DomainError(ROOT_MUST_BE_CITY, code="agency_root", field="parent")
    if parent is not None and kind == Agency.Kind.CITY:
        raise DomainError(CITY_HAS_NO_PARENT, code="agency_city_parent", field="parent")


def _validate_model(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], code="invalid", field=field) from exc


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: str,
    parent: Agency | None = None,
    short_name: str = "",
    sort_order: int = 0,
    doc_no_prefix: str = "",
    review_body: str = "",
    court: str = "",
) -> Agency:
    """Create an agency under ``parent`` and place it in the tree."""
    letters = {"doc_no_prefix": doc_no_prefix, "review_body": review_body}
    letters["court"] = court
    check_lengths("agency", code=code, name=name, short_name=short_name, **letters)
    if actor is not None and not permissions.can_create_agency(actor, parent):
        raise PermissionDenied()
    _check_tree(kind, parent)
    if Agency.objects.filter(code=code).exists():
        raise DomainError(CODE_TAKEN, code="agency_code_taken", field="code")
    if Agency.objects.filter(name=name).exists():
        raise DomainError(NAME_TAKEN, code="agency_name_taken", field="name")
    agency = Agency(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        sort_order=sort_order,
        tree_path="/",
        **letters,
    )
    _validate_model(agency, exclude=["tree_path"])
    agency.save()
    agency.tree_path = f"{parent.tree_path if parent else '/'}{agency.pk}/"
    agency.save(update_fields=["tree_path"])
    audit.record(
        actor=actor,
        verb="agency.create",
        obj=agency,
        agency=agency,
        after=audit.snapshot(agency, AGENCY_FIELDS),
    )
    return agency


@transaction.atomic
def agency_update(*, actor: User | None, agency: Agency, **changes: Any) -> Agency:
    """Change an agency's name, kind, parent, order or activity.

    The code is fixed once issued: index numbers already carry it.
    """
    check_lengths("agency", changes)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if actor is not None and not permissions.can_manage_agency(actor, agency):
        raise PermissionDenied()
    allowed = set(AGENCY_FIELDS) - {"code"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("不能修改字段：%(f)s") % {"f": ", ".join(sorted(unknown))},
            code="agency_field_fixed",
            field=sorted(unknown)[0],
        )
    before = audit.snapshot(agency, AGENCY_FIELDS)
    new_parent = changes.get("parent", agency.parent)
    if "parent" in changes and new_parent != agency.parent:
        if new_parent is not None and new_parent.tree_path.startswith(agency.tree_path):
            raise DomainError(PARENT_CYCLE, code="agency_cycle", field="parent")
        if (
            actor is not None
            and new_parent is not None
            and not permissions.can_manage_agency(actor, new_parent)
        ):
            raise PermissionDenied()
    _check_tree(changes.get("kind", agency.kind), new_parent)
    if (
        "name" in changes
        and Agency.objects.filter(name=changes["name"]).exclude(pk=agency.pk).exists()
    ):
        raise DomainError(NAME_TAKEN, code="agency_name_taken", field="name")
    old_path = agency.tree_path
    for key, value in changes.items():
        setattr(agency, key, value)
    agency.tree_path = f"{new_parent.tree_path if new_parent else '/'}{agency.pk}/"
    _validate_model(agency, exclude=["tree_path"])
    agency.save()
    if agency.tree_path != old_path:
        for child in (
            Agency.objects.select_for_update()
            .filter(tree_path__startswith=old_path)
            .exclude(pk=agency.pk)
        ):
            child.tree_path = agency.tree_path + child.tree_path[len(old_path) :]
            child.save(update_fields=["tree_path"])
    audit.record_change(
        actor=actor,
        verb="agency.update",
        obj=agency,
        agency=agency,
        before=before,
        after=audit.snapshot(agency, AGENCY_FIELDS),
    )
    return agency


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    agency: Agency | None = None,
) -> User:
    """Create a staff account; coordinators do this for their agencies.

    ``password=None`` leaves the account without a usable password: the person
    signs in through the identity provider or sets one from an e-mailed link.
    """
    check_lengths(
        "user", username=username, password=password, full_name=full_name, email=email
    )
    if agency is not None:
        allowed = actor is None or permissions.can_manage_agency(actor, agency)
    else:
        allowed = actor is None or permissions.is_coordinator(actor)
    if not allowed:
        raise PermissionDenied()
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise DomainError(USERNAME_TAKEN, code="username_taken", field="username")
    user = user_model(username=username, email=email, first_name=full_name)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(
                exc.messages[0], code="weak_password", field="password"
            ) from exc
        user.set_password(password)
    _validate_model(user, exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        verb="user.create",
        obj=user,
        agency=agency,
        after={"username": username, "full_name": full_name},
    )
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, full_name: str, email: str) -> User:
    """Change a staff account's display name and e-mail (never its password)."""
    check_lengths("user", full_name=full_name, email=email)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if actor is not None and not permissions.can_manage_user(actor, user):
        raise PermissionDenied()
    before = {"full_name": user.first_name, "email": user.email}
    user.first_name = full_name
    user.email = email
    _validate_model(user, exclude=["password"])
    user.save(update_fields=["first_name", "email"])
    audit.record_change(
        actor=actor,
        verb="user.update",
        obj=user,
        before=before,
        after={"full_name": full_name, "email": email},
        skip_unchanged=True,
    )
    return user


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, agency: Agency, role: str
) -> Membership:
    """Give ``user`` ``role`` at ``agency`` (and so below it)."""
    if role not in Role.values:
        raise DomainError(_("未知角色。"), code="role_unknown", field="role")
    membership = Membership(user=user, agency=agency, role=role)
    if actor is not None and not permissions.can_manage_membership(actor, membership):
        raise PermissionDenied()
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise DomainError(ROLE_EXISTS, code="role_exists", field="role") from exc
    audit.record(
        actor=actor,
        verb="membership.grant",
        obj=membership,
        agency=agency,
        after={"user": user.get_username(), "role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(
    *, actor: User | None, membership: Membership, note: str = ""
) -> None:
    """Take a role away; it stops working on the next request."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if actor is not None and not permissions.can_manage_membership(actor, membership):
        raise PermissionDenied()
    audit.record(
        actor=actor,
        verb="membership.revoke",
        obj=membership,
        agency=membership.agency,
        before={"user": membership.user.get_username(), "role": membership.role},
        note=note,
    )
    membership.delete()


@transaction.atomic
def calendar_override_set(
    *, actor: User, date: dt.date, is_workday: bool, note: str
) -> CalendarOverride:
    """Rule that ``date`` is (or is not) a working day, over the package."""
    check_supported(date, "date")
    check_lengths("calendar_override", note=note)
    if not permissions.can_manage_calendar(actor):
        raise PermissionDenied()
    note = (note or "").strip()
    if not note:
        raise DomainError(OVERRIDE_NOTE_REQUIRED, code="note_required", field="note")
    override = CalendarOverride.objects.select_for_update().filter(date=date).first()
    before = (
        audit.snapshot(override, ("date", "is_workday", "note")) if override else {}
    )
    if override is None:
        override = CalendarOverride(date=date, created_by=actor)
    override.is_workday = is_workday
    override.note = note
    override.save()
    audit.record(
        actor=actor,
        verb="calendar.override_set",
        obj=override,
        before=before,
        after=audit.snapshot(override, ("date", "is_workday", "note")),
    )
    return override


@transaction.atomic
def calendar_override_delete(*, actor: User, override: CalendarOverride) -> None:
    """Remove an override; the package (or weekday rule) rules that date again."""
    if not permissions.can_manage_calendar(actor):
        raise PermissionDenied()
    override = CalendarOverride.objects.select_for_update().get(pk=override.pk)
    audit.record(
        actor=actor,
        verb="calendar.override_delete",
        obj=override,
        before=audit.snapshot(override, ("date", "is_workday", "note")),
    )
    override.delete()
