"""The outbox of e-mail messages, their attachments, and the staff digest.

A message is written inside the caller's transaction and sent after commit by
``messaging.sending``; nothing is sent from inside a transaction. The address and
the body are encrypted at rest like the applicant's identity, and attachments
live in the database rather than under the served media, so nothing of a letter
can be fetched by URL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_.models.fields import EncryptedTextField


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class MessageKind(models.TextChoices):
    """The kinds the portal sends; ``Message.kind`` also accepts others' keys."""

    LETTER = "letter", _("答复文书")
    DIGEST = "digest", _("每日待办摘要")


class Message(models.Model):
    kind = models.CharField(_("类别"), max_length=32)
    to = EncryptedTextField(_("收件地址"))
    subject = models.CharField(_("主题"), max_length=255)
    body = EncryptedTextField(_("正文"))
    request = models.ForeignKey(
        "requests_.DisclosureRequest",
        verbose_name=_("申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=MessageStatus.choices,
        default=MessageStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    # The kind of failure and the server's reply code, never the address.
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邮件")
        verbose_name_plural = _("邮件")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MessageStatus.values),
                name="message_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MessageStatus.SENT)
                | models.Q(sent_at__isnull=False),
                name="message_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("文件名"), max_length=255)
    mimetype = models.CharField(_("类型"), max_length=127)
    content = models.BinaryField(_("内容"))

    class Meta:
        verbose_name = _("邮件附件")
        verbose_name_plural = _("邮件附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class DigestPreference(models.Model):
    """A person's choice about the daily digest; no row means they receive it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
    )
    receive_digest = models.BooleanField(_("接收每日待办摘要"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("摘要设置")
        verbose_name_plural = _("摘要设置")

    def __str__(self) -> str:
        return str(self.user)


class Digest(models.Model):
    """One digest per person per day: the row that makes ``send_digests`` idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日期"))
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    items = models.PositiveIntegerField(_("事项数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("每日摘要")
        verbose_name_plural = _("每日摘要")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"
