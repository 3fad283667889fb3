"""Forms of the evaluation screens. They check the shape of what was typed (a number where a
number is needed, a known rating, a length) and lay it out; the law (who, when, the curve, the
file's content and size) is checked by appraisal.services_evaluasi, whose ValidationError lands
back on the same form. They never write. The predikat is never a field: it follows from the two
ratings (rules §1.6.2) and is computed by the service."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import JenisDialog, PredikatOrganisasi, Rating

NOT_A_NUMBER = _("Isi dengan angka, misalnya 12 atau 12,5.")


def _helper(*fields) -> FormHelper:
    """Our templates write the <form> tag (it carries the htmx attributes) and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if fields:
        helper.layout = Layout(*fields)
    return helper


class AngkaField(forms.DecimalField):
    """A number typed the Indonesian way ("12,5") or the other way ("12.5")."""

    default_error_messages = {"invalid": NOT_A_NUMBER}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):  # 12 rather than 12.00
            return format(value.normalize() if value == value.to_integral() else value, "f")
        return value


# --- Realisation and evidence -----------------------------------------------------------------------


class RealisasiForm(forms.Form):
    """The employee's realisation of one IKI: a number for a kuantitatif SKP (with an optional
    description), a description for a kualitatif one. Prefixed per IKI, so the page's forms never
    share ids."""

    nilai = AngkaField(label=_("Realisasi"), required=False, min_value=0)
    uraian = forms.CharField(
        label=_("Uraian realisasi (opsional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, iki, kualitatif: bool, **kwargs):
        super().__init__(*args, prefix=f"iki{iki.pk}", **kwargs)
        self.kualitatif = kualitatif
        if kualitatif:
            del self.fields["nilai"]
            self.fields["uraian"].required = True
            self.fields["uraian"].label = _("Realisasi")
            self.fields["uraian"].error_messages["required"] = _("Tuliskan realisasi IKI ini.")
            self.fields["uraian"].widget.attrs["rows"] = 3
        else:
            self.fields["nilai"].required = True
            self.fields["nilai"].error_messages["required"] = _("Realisasi IKI kuantitatif harus berupa angka.")
            if iki.satuan:
                self.fields["nilai"].label = _("Realisasi (%(satuan)s)") % {"satuan": iki.satuan}
            self.fields["nilai"].widget.attrs["placeholder"] = "0"
        self.helper = _helper()

    @staticmethod
    def initial_for(realisasi) -> dict:
        if realisasi is None:
            return {}
        return {"nilai": realisasi.nilai, "uraian": realisasi.uraian}

    def service_kwargs(self) -> dict:
        return {"nilai": self.cleaned_data.get("nilai"), "uraian": self.cleaned_data.get("uraian", "")}


class BuktiForm(forms.Form):
    """Evidence: a file (its content and size are checked by the service) or a link."""

    berkas = forms.FileField(label=_("Unggah berkas"), required=False, max_length=255)
    tautan = forms.URLField(
        label=_("atau tautan"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
    )

    def __init__(self, *args, iki, **kwargs):
        super().__init__(*args, prefix=f"bukti{iki.pk}", **kwargs)
        self.fields["berkas"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx"
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("berkas") and not data.get("tautan"):
            raise forms.ValidationError(_("Pilih berkas atau isi tautan bukti dukung."))
        return data


# --- Dialog kinerja ---------------------------------------------------------------------------------------


class DialogForm(forms.Form):
    """Feedback from the pejabat penilai on a RHK, a core value, or the SKP as a whole (rules §1.3.1)."""

    jenis = forms.ChoiceField(label=_("Jenis"), choices=[("", _("— pilih jenis —")), *JenisDialog.choices])
    sasaran = forms.ChoiceField(label=_("Tentang"), required=False)
    catatan = forms.CharField(label=_("Catatan"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, rhk, core_values, **kwargs):
        super().__init__(*args, **kwargs)
        self._rhk = {f"rhk:{r.pk}": r for r in rhk}
        self._values = {f"cv:{cv.pk}": cv for cv in core_values}
        self.fields["sasaran"].choices = [
            ("", _("SKP secara umum")),
            (_("Rencana hasil kerja"), [(key, r.uraian[:90]) for key, r in self._rhk.items()]),
            (_("Perilaku kerja (BerAKHLAK)"), [(key, cv.nama) for key, cv in self._values.items()]),
        ]
        self.helper = _helper("jenis", "sasaran", Field("catatan", maxlength=4000))

    def service_kwargs(self) -> dict:
        key = self.cleaned_data.get("sasaran") or ""
        return {
            "jenis": self.cleaned_data["jenis"],
            "catatan": self.cleaned_data["catatan"],
            "rhk": self._rhk.get(key),
            "core_value": self._values.get(key),
        }


# --- The supervisor's evaluation --------------------------------------------------------------------------


class EvaluasiForm(forms.Form):
    """The pejabat penilai's evaluation: umpan balik per RHK and per core value, the two ratings,
    catatan/rekomendasi, PP 30/2019 numbers where the instansi uses them, and the version the
    page was loaded at (optimistic lock). ``justifikasi`` is used only when finalising.

    Every widget names the form by id (``form="evaluasi-form"``), so the textareas can sit beside
    the RHK and core values they are about while the verify buttons keep their own small forms."""

    FORM_ID = "evaluasi-form"

    versi = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    rating_hasil_kerja = forms.ChoiceField(
        label=_("Rating Hasil Kerja"), choices=Rating.choices, required=False, widget=forms.RadioSelect
    )
    rating_perilaku_kerja = forms.ChoiceField(
        label=_("Rating Perilaku Kerja"), choices=Rating.choices, required=False, widget=forms.RadioSelect
    )
    catatan_rekomendasi = forms.CharField(
        label=_("Catatan / rekomendasi"),
        required=False,
        max_length=3000,
        help_text=_("Rekomendasi pengembangan kompetensi dan tindak lanjut."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    nilai_skp = AngkaField(label=_("Nilai SKP"), required=False, min_value=0, max_value=120, max_digits=6)
    nilai_perilaku = AngkaField(
        label=_("Nilai perilaku kerja"), required=False, min_value=0, max_value=120, max_digits=6
    )
    inovasi_bermanfaat = forms.BooleanField(
        label=_("Menghasilkan inovasi yang bermanfaat bagi organisasi atau negara"), required=False
    )
    justifikasi = forms.CharField(
        label=_("Justifikasi penyimpangan pola distribusi"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, rhk_ids, core_value_ids, pp30: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.pp30 = pp30
        if not pp30:
            for name in ("nilai_skp", "nilai_perilaku", "inovasi_bermanfaat"):
                del self.fields[name]
        for pk in rhk_ids:
            self.fields[f"ub_rhk_{pk}"] = self._feedback_field(_("Umpan balik atas RHK ini"))
            self.fields[f"pn_rhk_{pk}"] = self._rating_field(_("Penilaian Anda atas RHK ini"))
        for pk in core_value_ids:
            self.fields[f"ub_cv_{pk}"] = self._feedback_field(_("Umpan balik atas perilaku ini"))
            self.fields[f"pn_cv_{pk}"] = self._rating_field(_("Penilaian Anda atas perilaku ini"))
        for f in self.fields.values():
            f.widget.attrs["form"] = self.FORM_ID
        self.rhk_ids, self.core_value_ids = list(rhk_ids), list(core_value_ids)

    @staticmethod
    def _feedback_field(label) -> forms.CharField:
        return forms.CharField(
            label=label,
            required=False,
            max_length=3000,
            widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Umpan balik berdasarkan bukti dukung")}),
        )

    @staticmethod
    def _rating_field(label) -> forms.ChoiceField:
        """The supervisor's own view of one RHK or value (issue 10), beside the self-assessment."""
        return forms.ChoiceField(label=label, required=False, choices=[("", _("— belum dinilai —")), *Rating.choices])

    @staticmethod
    def initial_for(
        evaluasi,
        per_rhk: dict[int, str],
        per_value: dict[int, str],
        rating_rhk: dict[int, str] | None = None,
        rating_value: dict[int, str] | None = None,
    ) -> dict:
        initial = {
            "versi": evaluasi.versi,
            "rating_hasil_kerja": evaluasi.rating_hasil_kerja,
            "rating_perilaku_kerja": evaluasi.rating_perilaku_kerja,
            "catatan_rekomendasi": evaluasi.catatan_rekomendasi,
            "nilai_skp": evaluasi.nilai_skp,
            "nilai_perilaku": evaluasi.nilai_perilaku,
            "inovasi_bermanfaat": evaluasi.inovasi_bermanfaat,
            "justifikasi": evaluasi.justifikasi_distribusi,
        }
        initial |= {f"ub_rhk_{pk}": text for pk, text in per_rhk.items()}
        initial |= {f"ub_cv_{pk}": text for pk, text in per_value.items()}
        initial |= {f"pn_rhk_{pk}": r for pk, r in (rating_rhk or {}).items()}
        initial |= {f"pn_cv_{pk}": r for pk, r in (rating_value or {}).items()}
        return initial

    def service_kwargs(self) -> dict:
        """The arguments of services_evaluasi.evaluasi_save (never a predikat)."""
        data = self.cleaned_data
        kwargs = {
            "versi": data["versi"],
            "rating_hasil_kerja": data.get("rating_hasil_kerja", ""),
            "rating_perilaku_kerja": data.get("rating_perilaku_kerja", ""),
            "catatan_rekomendasi": data.get("catatan_rekomendasi", ""),
            "umpan_balik_rhk": {pk: data.get(f"ub_rhk_{pk}", "") for pk in self.rhk_ids},
            "umpan_balik_perilaku": {pk: data.get(f"ub_cv_{pk}", "") for pk in self.core_value_ids},
            "penilaian_rhk": {pk: data.get(f"pn_rhk_{pk}", "") for pk in self.rhk_ids},
            "penilaian_perilaku": {pk: data.get(f"pn_cv_{pk}", "") for pk in self.core_value_ids},
        }
        if self.pp30:
            kwargs |= {
                "nilai_skp": data.get("nilai_skp"),
                "nilai_perilaku": data.get("nilai_perilaku"),
                "inovasi_bermanfaat": data.get("inovasi_bermanfaat", False),
            }
        return kwargs


class VerifikasiForm(forms.Form):
    verified = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


# --- Capaian Kinerja Organisasi ----------------------------------------------------------------------------


class CapaianForm(forms.Form):
    """The head's predikat for one unit and period (rules §1.7.1 step 1)."""

    unit = forms.IntegerField(widget=forms.HiddenInput)
    periode = forms.IntegerField(widget=forms.HiddenInput)
    predikat = forms.ChoiceField(
        label=_("Capaian kinerja organisasi"),
        choices=[("", _("— pilih —")), *PredikatOrganisasi.choices],
        error_messages={"required": _("Pilih capaian kinerja organisasi.")},
    )
    catatan = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        help_text=_("Dasar penetapan, mis. progres rencana aksi terhadap target periodik."),
    )

    def __init__(self, *args, unit_pk: int, **kwargs):
        super().__init__(*args, auto_id=f"id_capaian{unit_pk}_%s", **kwargs)

    @staticmethod
    def initial_for(row, periode) -> dict:
        own = row.own
        return {
            "unit": row.unit.pk,
            "periode": periode.pk,
            "predikat": own.predikat if own else "",
            "catatan": own.catatan if own else "",
        }
