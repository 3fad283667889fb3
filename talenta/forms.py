"""Filters of the talent screens. They only validate; the views read through the selectors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JenisRekomendasi


class FilterForm(forms.Form):
    """Year, unit subtree and (on the recommendation list) jenis. The unit arrives as an id and is
    resolved by the view within the admin's instansi, so another instansi's unit answers 404."""

    tahun = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)
    unit = forms.IntegerField(label=_("Unit kerja"), required=False, min_value=1)
    jenis = forms.ChoiceField(
        label=_("Jenis rekomendasi"), required=False, choices=[("", _("Semua"))] + JenisRekomendasi.choices
    )
    kotak = forms.IntegerField(label=_("Kotak"), required=False, min_value=1, max_value=9)
