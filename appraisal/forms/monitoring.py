"""Forms of the HR and organisation-wide SKP screens. They validate and lay out; the views
call ``appraisal.services`` to write. Choices come prepared from the selectors, so building
and validating these forms runs no query."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import UnitKerja

from .. import rules
from ..models import PeriodeSKP, RitmeEvaluasi

# PermenPANRB 6/2022 governs SKP from 2022 (rules §0.3); earlier years follow other rules.
FIRST_YEAR = 2022


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def suggested_year(*, taken: set[int], today: datetime.date) -> int:
    """This year if it is not open yet, else the year after the latest one opened."""
    if today.year not in taken:
        return today.year
    return max(taken) + 1


class PeriodeOpenForm(forms.Form):
    """Opening an SKP year (rules §1.4.1: 1 January – 31 December unless the instansi decides otherwise)."""

    tahun = forms.IntegerField(label=_("Tahun"))
    ritme = forms.ChoiceField(
        label=_("Ritme evaluasi periodik"),
        choices=RitmeEvaluasi.choices,
        initial=RitmeEvaluasi.TRIWULANAN,
        help_text=_("Seberapa sering pejabat penilai mengevaluasi kinerja selama tahun berjalan."),
    )
    mulai = forms.DateField(label=_("Mulai"), widget=DateInput())
    selesai = forms.DateField(label=_("Selesai"), widget=DateInput())

    def __init__(self, *args, taken_years: set[int], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_years = taken_years
        self.max_year = today.year + 1
        tahun = suggested_year(taken=taken_years, today=today)
        mulai, selesai = rules.default_period(tahun)
        self.initial.setdefault("tahun", tahun)
        self.initial.setdefault("mulai", mulai)
        self.initial.setdefault("selesai", selesai)
        self.fields["tahun"].widget.attrs.update(min=FIRST_YEAR, max=self.max_year, inputmode="numeric")
        self.fields["mulai"].help_text = _("Biasanya 1 Januari.")
        self.fields["selesai"].help_text = _("Biasanya 31 Desember. Batas penetapan SKP: 31 Januari.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Buka periode")))
        self.helper.layout = Layout(
            Row(Column("tahun", css_class="col-sm-4"), Column("ritme", css_class="col-sm-8")),
            Row(Column("mulai", css_class="col-sm-6"), Column("selesai", css_class="col-sm-6")),
        )

    def clean_tahun(self):
        tahun = self.cleaned_data["tahun"]
        if tahun < FIRST_YEAR:
            raise forms.ValidationError(
                _("SIKAP mengelola SKP menurut PermenPANRB 6/2022, yaitu tahun %(tahun)s dan sesudahnya."),
                params={"tahun": FIRST_YEAR},
                code="too_early",
            )
        if tahun > self.max_year:
            raise forms.ValidationError(
                _("Periode paling jauh dapat dibuka untuk tahun %(tahun)s."),
                params={"tahun": self.max_year},
                code="too_late",
            )
        if tahun in self.taken_years:
            raise forms.ValidationError(
                _("Periode SKP tahun %(tahun)s sudah dibuka. Pilih tahun lain."),
                params={"tahun": tahun},
                code="duplicate",
            )
        return tahun

    def clean(self):
        cleaned = super().clean()
        tahun, mulai, selesai = cleaned.get("tahun"), cleaned.get("mulai"), cleaned.get("selesai")
        if mulai and selesai and selesai <= mulai:
            self.add_error("selesai", _("Tanggal selesai harus sesudah tanggal mulai."))
        if tahun:
            for name in ("mulai", "selesai"):
                day = cleaned.get(name)
                if day and day.year != tahun:
                    self.add_error(name, _("Tanggal harus berada di tahun %(tahun)s.") % {"tahun": tahun})
        return cleaned


class ScopeForm(forms.Form):
    """The year, the unit and (on the progress page) the name search above a monitoring screen (GET)."""

    tahun = forms.TypedChoiceField(
        label=_("Tahun"), coerce=int, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    unit = forms.TypedChoiceField(
        label=_("Unit kerja"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Cari pegawai terlambat"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search", "placeholder": _("Nama atau NIP")}),
    )

    def __init__(self, *args, periodes: list[PeriodeSKP], units: list[UnitKerja] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tahun"].choices = [(p.tahun, str(p.tahun)) for p in periodes]
        if units is None:
            del self.fields["unit"]
        else:
            indent = "\u00a0\u00a0"
            self.fields["unit"].choices = [("", _("Semua unit"))] + [
                (u.pk, f"{indent * u.depth}{u.nama}") for u in units
            ]
