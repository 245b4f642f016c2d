"""The shared core: agencies, who works where in which role, the audit trail, and
coordinator overrides of the working-day calendar.

Models stay thin. Every state change goes through ``portal.services``; every
viewer-scoped read through ``portal.selectors`` and ``portal.permissions``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

AGENCY_CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-Za-z]{2,32}$",
    _("机构代码只能包含字母和数字，长度 2–32 位。"),
)


class Agency(models.Model):
    """A publishing agency: the city, a district, a municipal department, a sub-unit.

    ``code`` is the organisation code that starts every index number the agency
    issues, so it never changes once set. ``tree_path`` is a materialised path of
    ancestor ids ("/1/4/9/") kept by the services, which makes "this agency and
    everything below it" one indexed prefix query.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("市政府")
        DISTRICT = "district", _("区政府")
        DEPARTMENT = "department", _("市级部门")
        SUBUNIT = "subunit", _("下属单位")

    code = models.CharField(
        _("机构代码"), max_length=32, unique=True, validators=[AGENCY_CODE_VALIDATOR]
    )
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    tree_path = models.CharField(max_length=255, editable=False, db_index=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    # What the agency's written replies print: the front of their document
    # numbers and where an applicant may seek review or sue (letters read them).
    doc_no_prefix = models.CharField(_("发文字号前缀"), max_length=40, blank=True)
    review_body = models.CharField(_("行政复议机关"), max_length=100, blank=True)
    court = models.CharField(_("行政诉讼管辖法院"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["tree_path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="agency_not_own_parent",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["city", "district", "department", "subunit"]
                ),
                name="agency_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def depth(self) -> int:
        return self.tree_path.strip("/").count("/")

    def ancestor_ids(self) -> list[int]:
        """Return the ids from the root down to and including this agency."""
        return [int(part) for part in self.tree_path.strip("/").split("/") if part]


class Role(models.TextChoices):
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("审核人")
    COORDINATOR = "coordinator", _("政务公开办协调员")


class Membership(models.Model):
    """A user holds a role at an agency, and by that at every agency below it.

    A coordinator at the city is city-wide; a reviewer at a district reviews for the
    district and its sub-units. Rows, not groups, so scoping is a query.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        ordering = ["agency__tree_path", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


class WriteOnceQuerySet(models.QuerySet):
    """Refuse bulk update and delete of rows that are written once.

    A subclass names the ``error`` it raises and the ``message`` it carries; the
    model refuses its own ``save()`` of an existing row and ``delete()`` too.
    """

    error: type[Exception]
    message: str

    def update(self, **kwargs):
        raise self.error(self.message)

    def delete(self):
        raise self.error(self.message)


AUDIT_IMMUTABLE = "审计记录只能追加，不能修改或删除。"


class AuditTrailImmutable(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(WriteOnceQuerySet):
    """Refuse bulk rewrites: the trail is append-only."""

    error = AuditTrailImmutable
    message = AUDIT_IMMUTABLE


class AuditEvent(models.Model):
    """One thing that happened, written by a service in the same transaction.

    ``agency`` scopes who may read the event; ``before``/``after`` hold the changed
    fields only. Applicant identity must never be put here (services pass
    redacted snapshots).
    """

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    verb = models.CharField(_("操作"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AuditTrailImmutable(AUDIT_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailImmutable(AUDIT_IMMUTABLE)

    def changes(self) -> list[tuple[str, object, object]]:
        """Return (field, before, after) rows for display."""
        keys = list(dict.fromkeys([*self.before.keys(), *self.after.keys()]))
        return [(k, self.before.get(k), self.after.get(k)) for k in keys]


class CalendarOverride(models.Model):
    """A coordinator's ruling on one date, which wins over the calendar package.

    Used to enter a year the ``chinesecalendar`` package does not know yet (the
    State Council publishes each year's arrangement late in the year before) or to
    correct a local arrangement.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("工作日") if self.is_workday else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind} {self.note}"


class Topic(models.Model):
    """A class of the national topic tree (主题分类) used to catalogue disclosures.

    Seeded by a migration with the 22 top classes and common sub-classes; shared by
    every app, so it lives in the core.
    """

    code = models.CharField(_("分类代码"), max_length=8, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


def job_file_path(job: Job, filename: str) -> str:
    """Keep job files under their own private prefix (media is never served)."""
    return f"jobs/{timezone.now():%Y/%m}/{filename}"


class Job(models.Model):
    """A long operation (import, export, rebuild) run in the background.

    Apps register the kinds (``portal.jobs.register_job_kind``); the core runs
    them and never imports the apps. ``heartbeat_at`` is touched while the job
    runs, so a job whose process died is found and marked failed. Files live in
    the default storage under ``jobs/`` and are only served through the job's
    download view, which checks the viewer.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("任务类型"), max_length=64)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.QUEUED
    )
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(upload_to=job_file_path, blank=True)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    result_file = models.FileField(upload_to=job_file_path, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    state__in=["queued", "running", "succeeded", "failed"]
                ),
                name="job_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.kind

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        """Return 0–100, or None while the total is unknown."""
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class PublicationGeneration(models.Model):
    """What the public sees, as a number: one row, advanced by every change to it.

    ``portal.httpcache`` keys cached public pages and their validators on it.
    ``token`` is drawn when the row is made, so a database made afresh (a test, a
    new site) never meets pages cached for another one. ``next_due`` is the
    earliest scheduled publication still to come: the first request after it
    advances the generation, as no write marks that moment.
    """

    token = models.CharField(max_length=16)
    value = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()
    next_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公开内容版本")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.token}.{self.value}"
