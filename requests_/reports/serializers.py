"""Output serializer of the annual report API: the figures as the page shows them.

``report_data`` builds the body; this shapes and documents it, so ``/api/schema/``
names every table, column and check line.
"""

from __future__ import annotations

from rest_framework import serializers

CELLS = "按列代码给出的件数"


class AgencyRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class Table3Column(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField(help_text="列所属的申请人类别组，空为不分组")


class Table3Row(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField())
    cells = serializers.DictField(child=serializers.IntegerField(), help_text=CELLS)


class Table3(serializers.Serializer):
    title = serializers.CharField()
    columns = Table3Column(many=True)
    rows = Table3Row(many=True)


class Table4Column(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    result = serializers.CharField()
    label = serializers.CharField()


class Table4(serializers.Serializer):
    title = serializers.CharField()
    columns = Table4Column(many=True)
    cells = serializers.DictField(child=serializers.IntegerField(), help_text=CELLS)


class CheckLine(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    new_plus_carried_in = serializers.IntegerField()
    total_plus_carried_out = serializers.IntegerField()
    balanced = serializers.BooleanField()


class CheckIssue(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    request = serializers.IntegerField()
    tracking_code = serializers.CharField()
    agency = serializers.CharField()
    received_on = serializers.DateField()
    decided_on = serializers.DateField(allow_null=True)


class Check(serializers.Serializer):
    passed = serializers.BooleanField()
    balanced = serializers.BooleanField()
    columns = CheckLine(many=True)
    issues = CheckIssue(many=True)


class ConversionRow(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class Conversion(serializers.Serializer):
    rows = ConversionRow(many=True)
    median_calendar_days = serializers.FloatField(allow_null=True)
    median_working_days = serializers.FloatField(allow_null=True)
    unknown_years = serializers.ListField(child=serializers.IntegerField())


class AnnualReportOutput(serializers.Serializer):
    agency = AgencyRef(allow_null=True, help_text="全市报告时为空")
    scope = serializers.CharField()
    scope_label = serializers.CharField()
    year = serializers.IntegerField()
    complete = serializers.BooleanField(help_text="年度已结束时为真")
    table3 = Table3()
    table4 = Table4()
    check = Check()
    conversion = Conversion()
