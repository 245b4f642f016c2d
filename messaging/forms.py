from django import forms
from django.utils.translation import gettext_lazy as _


class DigestPreferenceForm(forms.Form):
    receive_digest = forms.BooleanField(
        label=_("每个工作日接收待办摘要邮件"), required=False
    )
