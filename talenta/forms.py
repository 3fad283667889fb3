"""Filters of the talent screens. They only validate; the views read through the selectors."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sikap.params import as_id

from . import rules
from .models import JadwalPelatihan, JenisRekomendasi, Kompetensi, Pelatihan, StatusPeserta, SumberPenilaian


class FilterForm(forms.Form):
    """Year, unit subtree and (on the recommendation list) jenis. The unit arrives as an id and is
    resolved by the view within the admin's instansi, so another instansi's unit answers 404."""

    tahun = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)
    unit = forms.IntegerField(label=_("Unit kerja"), required=False, min_value=1)
    jenis = forms.ChoiceField(
        label=_("Jenis rekomendasi"), required=False, choices=[("", _("Semua"))] + JenisRekomendasi.choices
    )
    kotak = forms.IntegerField(label=_("Kotak"), required=False, min_value=1, max_value=9)


# --- Rencana pembinaan ---------------------------------------------------------------------------------


def _helper(submit_label=None) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label or _("Simpan")))
    return helper


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def kompetensi_for(instansi):
    """The national dictionary and the instansi's own technical competencies."""
    return Kompetensi.objects.filter(Q(instansi__isnull=True) | Q(instansi=instansi)).order_by("jenis", "kode")


class KompetensiChoiceField(forms.ModelMultipleChoiceField):
    """Competencies by id; an id no database integer can hold is an invalid choice, not a crash
    (SQLite overflows on it)."""

    def _check_values(self, value):
        for pk in value or ():
            if as_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(pk)[:20]}
                )
        return super()._check_values(value)


class PelatihanForm(forms.ModelForm):
    """A catalogue entry. The form (bentuk) is one of the forms of rules §5.2, grouped by path;
    the service checks that it belongs to the chosen path."""

    bentuk = forms.ChoiceField(
        label=_("Bentuk"),
        choices=[(str(_("Klasikal")), [(b, b) for b in rules.BENTUK_PELATIHAN["KLASIKAL"]])]
        + [(str(_("Nonklasikal")), [(b, b) for b in rules.BENTUK_PELATIHAN["NONKLASIKAL"]])],
    )

    class Meta:
        model = Pelatihan
        fields = ["nama", "jenis", "bentuk", "kompetensi", "jp", "aktif"]
        widgets = {"kompetensi": forms.CheckboxSelectMultiple}
        field_classes = {"kompetensi": KompetensiChoiceField}
        error_messages = {"jp": {"min_value": _("JP minimal 1.")}}

    def __init__(self, *args, instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.instansi = instansi
        self.fields["kompetensi"].queryset = kompetensi_for(instansi)
        self.fields["jp"].min_value = 1
        self.fields["jp"].widget.attrs["min"] = 1
        self.helper = _helper()


class JadwalForm(forms.ModelForm):
    class Meta:
        model = JadwalPelatihan
        fields = ["pelatihan", "mulai", "selesai", "tempat", "penyelenggara", "kuota"]
        widgets = {"mulai": DateInput(), "selesai": DateInput()}

    def __init__(self, *args, instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.instansi = instansi
        qs = Pelatihan.objects.filter(instansi=instansi)
        if not self.instance.pk:
            qs = qs.filter(aktif=True)
        self.fields["pelatihan"].queryset = qs
        self.fields["kuota"].min_value = 1
        self.fields["kuota"].widget.attrs["min"] = 1
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        mulai, selesai = cleaned.get("mulai"), cleaned.get("selesai")
        if mulai and selesai and selesai < mulai:
            self.add_error("selesai", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return cleaned


class KandidatFilterForm(forms.Form):
    """Filters of the enrolment screen; the unit is resolved by the view within the instansi."""

    tahun = forms.IntegerField(label=_("Tahun rekomendasi"), required=False, min_value=2000, max_value=2100)
    unit = forms.IntegerField(label=_("Unit kerja"), required=False, min_value=1)
    kompetensi = forms.CharField(label=_("Kompetensi"), required=False, max_length=20)


class EnrolForm(forms.Form):
    rekomendasi = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rekomendasi"].choices = [(i, i) for i in ids]
        self.fields["rekomendasi"].error_messages["required"] = _("Pilih minimal satu pegawai.")


class PresensiForm(forms.Form):
    """One status field per enrolment (``status_<pk>``)."""

    def __init__(self, *args, peserta, **kwargs):
        super().__init__(*args, **kwargs)
        for p in peserta:
            self.fields[f"status_{p.pk}"] = forms.ChoiceField(
                label=p.pegawai.nama, choices=StatusPeserta.choices, initial=p.status
            )

    def statuses(self) -> dict[int, str]:
        return {int(name.removeprefix("status_")): value for name, value in self.cleaned_data.items()}


# --- Kompetensi ---------------------------------------------------------------------------------------

LEVEL_CHOICES = [("", "—")] + [(i, str(i)) for i in range(1, 6)]


def _level_field(label, initial=None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial=initial,
        error_messages={"invalid_choice": _("Level kompetensi harus antara 1 dan 5.")},
    )


class LevelsForm(forms.Form):
    """One level field (``k_<id>``, blank or 1–5) per competency, with the competency attached."""

    def __init__(self, *args, kompetensi, initial_levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_levels = initial_levels or {}
        self.kompetensi_rows = []
        for k in kompetensi:
            name = f"k_{k.pk}"
            self.fields[name] = _level_field(f"{k.kode} {k.nama}", initial_levels.get(k.pk))
            self.kompetensi_rows.append((k, name))

    def levels(self) -> dict[int, int | None]:
        return {k.pk: self.cleaned_data.get(name) for k, name in self.kompetensi_rows}

    def bound_rows(self):
        return [(k, self[name]) for k, name in self.kompetensi_rows]


class PenilaianForm(LevelsForm):
    sumber = forms.ChoiceField(label=_("Sumber"), choices=SumberPenilaian.choices)
    tanggal = forms.DateField(label=_("Tanggal penilaian"), widget=DateInput())


class KompetensiTeknisForm(forms.Form):
    kode = forms.CharField(label=_("Kode"), max_length=20)
    nama = forms.CharField(label=_("Nama kompetensi teknis"), max_length=200)


class CariForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
