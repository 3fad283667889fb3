"""The employee's self-assessment (penilaian diri, issue 10): a rating per RHK and per BerAKHLAK
value, and a reflection. The form checks the shape (a known rating, a length); whether it may be
saved or sent (approved SKP, not yet sent, evaluation not final, everything rated before sending)
is the service's to decide (services_objektif.penilaian_diri_save). It never writes."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Rating


class PenilaianDiriForm(forms.Form):
    refleksi = forms.CharField(
        label=_("Refleksi"),
        required=False,
        max_length=3000,
        help_text=_("Apa yang berjalan baik, apa yang menghambat, dan apa yang akan Anda perbaiki."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, rhk_ids, core_value_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.rhk_ids, self.core_value_ids = list(rhk_ids), list(core_value_ids)
        for pk in self.rhk_ids:
            self.fields[f"rhk_{pk}"] = self._rating_field()
        for pk in self.core_value_ids:
            self.fields[f"cv_{pk}"] = self._rating_field()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @staticmethod
    def _rating_field() -> forms.ChoiceField:
        return forms.ChoiceField(
            label=_("Penilaian diri"), required=False, choices=Rating.choices, widget=forms.RadioSelect
        )

    @staticmethod
    def initial_for(penilaian) -> dict:
        if penilaian is None:
            return {}
        initial = {"refleksi": penilaian.refleksi}
        for butir in penilaian.butir.all():
            key = f"rhk_{butir.rhk_id}" if butir.rhk_id else f"cv_{butir.core_value_id}"
            initial[key] = butir.rating
        return initial

    def service_kwargs(self) -> dict:
        """The arguments of services_objektif.penilaian_diri_save (without ``kirim``)."""
        data = self.cleaned_data
        return {
            "refleksi": data.get("refleksi", ""),
            "per_rhk": {pk: data.get(f"rhk_{pk}", "") for pk in self.rhk_ids},
            "per_value": {pk: data.get(f"cv_{pk}", "") for pk in self.core_value_ids},
        }
