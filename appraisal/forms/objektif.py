"""Forms of the HR screens of objective evidence (issue 10): the indicator catalogue, a file of
realisations, a token for another system, the SKM pull and the objectivity report's filter.
Choices come prepared from appraisal.selectors_objektif, so building and validating these forms
runs no query; they never write (the views call appraisal.services_objektif)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import UnitKerja
from sikap.tabular import MAX_BYTES

from ..models import KatalogIndikator, PeriodeEvaluasi, SumberRealisasi

INDENT = "\u00a0\u00a0"


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


def periode_label(periode: PeriodeEvaluasi) -> str:
    return f"{periode.label} {periode.periode_skp.tahun}"


def _periode_choices(periodes: list[PeriodeEvaluasi]) -> list:
    """Grouped by SKP year, so the select reads "2026 → TRIWULAN I …"."""
    groups: dict[str, list] = {}
    for p in periodes:
        groups.setdefault(str(p.periode_skp.tahun), []).append((p.pk, periode_label(p)))
    return list(groups.items())


def _unit_choices(units: list[UnitKerja]) -> list:
    return [(u.pk, f"{INDENT * u.depth}{u.nama}") for u in units]


# --- Catalogue ----------------------------------------------------------------------------------------


class KatalogForm(forms.ModelForm):
    """A standard indicator. ``taken_kodes`` are the instansi's other kode (the slug is unique per
    instansi); ``kelompok`` the kinds of jabatan already named, offered as suggestions."""

    class Meta:
        model = KatalogIndikator
        fields = ["kelompok_jabatan", "nama", "kode", "aspek", "satuan", "arah", "sumber_bawaan", "keterangan", "aktif"]
        widgets = {"keterangan": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, taken_kodes: set[str], kelompok: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_kodes = taken_kodes
        self.kelompok_suggestions = kelompok
        self.fields["kelompok_jabatan"].widget.attrs["list"] = "kelompok-jabatan"
        self.fields["kode"].help_text = _(
            "Huruf kecil, angka dan tanda hubung, mis. pasien-dilayani. Dipakai pada berkas impor dan API."
        )
        self.fields["nama"].widget = forms.TextInput()
        self.helper = _helper(_("Simpan"))
        self.helper.layout = Layout(
            Row(Column("kelompok_jabatan", css_class="col-md-5"), Column("nama", css_class="col-md-7")),
            Row(Column("kode", css_class="col-md-5"), Column("aspek", css_class="col-md-3"), Column("satuan")),
            Row(Column("arah", css_class="col-md-6"), Column("sumber_bawaan", css_class="col-md-6")),
            "keterangan",
            "aktif",
        )

    def clean_kode(self):
        kode = self.cleaned_data["kode"].strip().lower()
        if kode in self.taken_kodes:
            raise forms.ValidationError(
                _("Kode “%(kode)s” sudah dipakai indikator lain di instansi ini. Pilih kode lain."),
                params={"kode": kode},
                code="duplicate",
            )
        return kode

    def clean_kelompok_jabatan(self):
        return " ".join(self.cleaned_data["kelompok_jabatan"].split())


class KatalogFilterForm(forms.Form):
    """Search and filters above the catalogue (GET)."""

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nama indikator, kode atau kelompok")}),
    )
    kelompok = forms.ChoiceField(label=_("Kelompok jabatan"), required=False)
    sumber = forms.ChoiceField(
        label=_("Sumber bawaan"), required=False, choices=[("", _("Semua sumber")), *SumberRealisasi.choices]
    )

    def __init__(self, *args, kelompok: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kelompok"].choices = [("", _("Semua kelompok")), *((k, k) for k in kelompok)]


# --- File imports -------------------------------------------------------------------------------------


class ImporRealisasiForm(forms.Form):
    """The period, the catalogue indicator and the file of an import's dry-run."""

    periode = forms.TypedChoiceField(label=_("Periode evaluasi"), coerce=int)
    katalog = forms.TypedChoiceField(
        label=_("Indikator katalog"),
        coerce=int,
        help_text=_("Hanya indikator aktif yang realisasinya bersumber dari berkas."),
    )
    berkas = forms.FileField(
        label=_("Berkas Excel (.xlsx) atau CSV"),
        help_text=_("Kolom: nip, nilai, dan bila perlu periode serta keterangan. Paling besar 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, periodes: list[PeriodeEvaluasi], katalog: list[KatalogIndikator], **kwargs):
        super().__init__(*args, **kwargs)
        self.periodes = {p.pk: p for p in periodes}
        self.katalog = {k.pk: k for k in katalog}
        self.fields["periode"].choices = [("", "—"), *_periode_choices(periodes)]
        self.fields["katalog"].choices = [("", "—")] + [
            (k.pk, f"{k.kelompok_jabatan}: {k.nama} ({k.kode})") for k in katalog
        ]
        self.helper = _helper(_("Uji coba impor"))

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if berkas.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 10 MB; bagi menjadi beberapa berkas."), code="too_big")
        return berkas

    def clean(self):
        cleaned = super().clean()
        if "periode" in cleaned:
            cleaned["periode"] = self.periodes[cleaned["periode"]]
        if "katalog" in cleaned:
            cleaned["katalog"] = self.katalog[cleaned["katalog"]]
        return cleaned


class PeriodeForm(forms.Form):
    """One evaluation period (the SKM pull)."""

    periode = forms.TypedChoiceField(label=_("Periode evaluasi"), coerce=int)

    def __init__(self, *args, periodes: list[PeriodeEvaluasi], **kwargs):
        super().__init__(*args, **kwargs)
        self.periodes = {p.pk: p for p in periodes}
        self.fields["periode"].choices = _periode_choices(periodes)

    def clean_periode(self):
        return self.periodes[self.cleaned_data["periode"]]


# --- Tokens -------------------------------------------------------------------------------------------


class TokenForm(forms.Form):
    unit_kerja = forms.TypedChoiceField(
        label=_("Unit kerja"),
        coerce=int,
        help_text=_("Token hanya dapat mengirim nilai pegawai unit ini dan unit di bawahnya."),
    )
    nama_sistem = forms.CharField(
        label=_("Nama sistem"), max_length=120, help_text=_("Mis. SIMPUS Puskesmas Dumai Kota.")
    )

    def __init__(self, *args, units: list[UnitKerja], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit_kerja"].choices = [("", "—"), *_unit_choices(units)]
        self.helper = _helper(_("Buat token"))

    def clean_unit_kerja(self):
        return self.units[self.cleaned_data["unit_kerja"]]

    def clean_nama_sistem(self):
        nama = " ".join(self.cleaned_data["nama_sistem"].split())
        if not nama:
            raise forms.ValidationError(_("Isi nama sistem yang akan memakai token ini."), code="required")
        return nama


# --- Objectivity report -----------------------------------------------------------------------------


class ObjektivitasForm(forms.Form):
    """The period and the unit above the objectivity report (GET)."""

    periode = forms.TypedChoiceField(label=_("Periode evaluasi"), coerce=int, required=False, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Unit kerja"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, periodes: list[PeriodeEvaluasi], units: list[UnitKerja], **kwargs):
        super().__init__(*args, **kwargs)
        self.periodes = {p.pk: p for p in periodes}
        self.units = {u.pk: u for u in units}
        self.fields["periode"].choices = _periode_choices(periodes)
        self.fields["unit"].choices = [("", _("Semua unit")), *_unit_choices(units)]
        for name in self.fields:
            self.fields[name].widget.attrs["class"] = "form-select"
