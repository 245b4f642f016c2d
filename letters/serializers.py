"""Output serializers of the letters API (the applicant's name is never included)."""

from __future__ import annotations

from rest_framework import serializers


class LetterOutput(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id")
    agency = serializers.CharField(source="agency.code")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    title = serializers.CharField()
    addressee = serializers.CharField()
    body = serializers.CharField()
    number = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    sequence = serializers.IntegerField(allow_null=True)
    letter_date = serializers.DateField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    void_reason = serializers.CharField()
    available_actions = serializers.ListField(child=serializers.CharField())
