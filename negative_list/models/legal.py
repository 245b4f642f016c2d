"""Legal bases: exemption categories and the catalogue of cited provisions."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Exemption(models.Model):
    """A legal category a withheld item must rest on (DOMAIN.md §2).

    The codes are the annual report's withheld reasons, so the requests app counts
    outcomes against the same keys.
    """

    code = models.CharField(_("代码"), max_length=32, primary_key=True)
    name = models.CharField(_("类别"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=20)
    article = models.CharField(_("条例条款"), max_length=40, blank=True)
    binding = models.BooleanField(
        _("必须不予公开"),
        help_text=_("是：不得公开（第十四、十五条）；否：可以不予公开（第十六条）。"),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("不予公开类别")
        verbose_name_plural = _("不予公开类别")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.short_name


class ProvisionQuerySet(models.QuerySet):
    def in_force(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            models.Q(repealed_on__isnull=True) | models.Q(repealed_on__gt=day)
        )


class Provision(models.Model):
    """A provision an entry cites as its legal basis (不予公开的法律政策依据).

    ``exemptions`` names the categories the provision supports; an empty set means
    the provision is neutral (e.g. a procedural rule) and any category may cite it.
    """

    law = models.CharField(_("法律法规名称"), max_length=100)
    article = models.CharField(_("条款"), max_length=40, blank=True)
    text = models.TextField(_("条文摘要"), blank=True)
    in_force_from = models.DateField(_("施行日期"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    exemptions = models.ManyToManyField(
        Exemption, verbose_name=_("支持的类别"), blank=True, related_name="provisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("依据条款")
        verbose_name_plural = _("依据目录")
        ordering = ["law", "id"]
        constraints = [
            models.UniqueConstraint(fields=["law", "article"], name="provision_unique"),
            models.CheckConstraint(
                condition=models.Q(repealed_on__isnull=True)
                | models.Q(in_force_from__isnull=True)
                | models.Q(repealed_on__gte=models.F("in_force_from")),
                name="provision_repealed_after_in_force",
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        return f"{self.law}{self.article}"

    def is_repealed(self, on=None) -> bool:
        day = on or timezone.localdate()
        return self.repealed_on is not None and self.repealed_on <= day
