# Fee notices (国办函〔2020〕109号), the applicant key and the repeat-request link.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_applicant_keys(apps, schema_editor):
    """Key the requests registered before the column existed, one row at a time."""
    from requests_.fees import applicant_key

    DisclosureRequest = apps.get_model("requests_", "DisclosureRequest")
    rows = DisclosureRequest.objects.filter(applicant_key="").only(
        "pk", "applicant_type", "applicant_name", "applicant_id_number"
    )
    for row in rows.iterator(chunk_size=500):
        DisclosureRequest.objects.filter(pk=row.pk).update(
            applicant_key=applicant_key(
                row.applicant_type, row.applicant_name, row.applicant_id_number
            )
        )


STATUSES = [
    ("submitted", "网上提交待确认"),
    ("received", "已登记"),
    ("correction_requested", "待补正"),
    ("in_progress", "办理中"),
    ("consulting", "征求意见中（停止计时）"),
    ("fee_pending", "待缴费（停止计时）"),
    ("replied", "已答复"),
    ("closed", "已办结"),
    ("lapsed", "逾期未补正"),
    ("withdrawn", "申请人撤回"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("requests_", "0004_statutory_clock"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FeeNotice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "scale",
                    models.CharField(
                        choices=[("per_item", "按件计收"), ("per_volume", "按量计收")],
                        max_length=16,
                        verbose_name="计收方式",
                    ),
                ),
                ("quantity", models.PositiveIntegerField(verbose_name="件数/页数")),
                (
                    "earlier_items",
                    models.PositiveIntegerField(
                        default=0, verbose_name="当月此前申请件数"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2, max_digits=10, verbose_name="收费金额（元）"
                    ),
                ),
                ("basis", models.TextField(verbose_name="收费依据及计算")),
                ("how_to_pay", models.TextField(verbose_name="缴费方式")),
                ("notified_on", models.DateField(verbose_name="收费通知日期")),
                ("pay_by", models.DateField(verbose_name="缴费期限")),
                (
                    "pay_by_explanation",
                    models.TextField(blank=True, verbose_name="缴费期限说明"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "待缴费"),
                            ("paid", "已缴费"),
                            ("waived", "已减免"),
                            ("lapsed", "逾期未缴费"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=12,
                        verbose_name="状态",
                    ),
                ),
                (
                    "paid_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=10,
                        null=True,
                        verbose_name="实缴金额（元）",
                    ),
                ),
                (
                    "paid_on",
                    models.DateField(blank=True, null=True, verbose_name="缴费日期"),
                ),
                (
                    "receipt_number",
                    models.CharField(
                        blank=True, max_length=64, verbose_name="票据号码"
                    ),
                ),
                (
                    "waiver_reason",
                    models.TextField(blank=True, verbose_name="减免理由"),
                ),
                (
                    "waived_on",
                    models.DateField(blank=True, null=True, verbose_name="减免日期"),
                ),
                (
                    "lapsed_on",
                    models.DateField(blank=True, null=True, verbose_name="逾期日期"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "issued_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发出人",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fee_notices",
                        to="requests_.disclosurerequest",
                        verbose_name="申请",
                    ),
                ),
                (
                    "waived_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="减免批准人",
                    ),
                ),
            ],
            options={
                "verbose_name": "收费通知",
                "verbose_name_plural": "收费通知",
                "ordering": ["-notified_on", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("request",), name="fee_one_per_request"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status__in", ["pending", "paid", "waived", "lapsed"])
                        ),
                        name="fee_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)),
                        name="fee_amount_positive",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "paid"), _negated=True),
                            models.Q(
                                ("paid_amount__isnull", False),
                                ("paid_on__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="fee_paid_has_payment",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "waived"), _negated=True),
                            models.Q(("waiver_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="fee_waived_has_reason",
                    ),
                ],
            },
        ),
        migrations.RemoveConstraint(
            model_name="disclosurerequest",
            name="request_status_valid",
        ),
        migrations.AlterField(
            model_name="disclosurerequest",
            name="status",
            field=models.CharField(
                choices=STATUSES,
                db_index=True,
                default="received",
                max_length=24,
                verbose_name="状态",
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosurerequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", [value for value, _ in STATUSES])),
                name="request_status_valid",
            ),
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="applicant_key",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="repeat_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="requests_.disclosurerequest",
                verbose_name="重复申请所对应的原申请",
            ),
        ),
        migrations.RunPython(fill_applicant_keys, migrations.RunPython.noop),
    ]
