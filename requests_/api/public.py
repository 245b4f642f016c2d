"""Public read of a published disclosure by index number."""

from __future__ import annotations

from django.http import Http404
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from requests_ import selectors
from requests_.api._common import disclosure_public_data
from requests_.models import DisclosureStatus


class DisclosurePublicApi(APIView):
    """Anyone may read a published disclosure; a withdrawn one answers 410."""

    permission_classes = [AllowAny]

    def get(self, request: Request, index_no: str) -> Response:
        disclosure = selectors.public_disclosure(index_no)
        if disclosure is None:
            raise Http404
        if disclosure.status == DisclosureStatus.WITHDRAWN:
            return Response(
                {
                    "index_no": disclosure.index_no,
                    "title": disclosure.title,
                    "withdrawn": True,
                    "withdrawn_at": disclosure.withdrawn_at,
                    "withdrawn_reason": disclosure.withdrawn_reason,
                },
                status=status.HTTP_410_GONE,
            )
        return Response(disclosure_public_data(disclosure, request))
