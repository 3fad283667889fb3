"""Forms of the objection (keberatan) and 360° screens. They check the shape of what was
typed; the law (the 14-day window, who decides, at least three raters, one answer per rater)
is checked by appraisal.services_evaluasi, whose ValidationError lands back on the same form.
They never write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from sikap.params import as_id

from ..models import CoreValue, Rating, StatusKeberatan


def _helper() -> FormHelper:
    """Our templates write the <form> tag and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class KeberatanForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan keberatan"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Jelaskan bagian hasil yang Anda keberatan dan buktinya. Keberatan diajukan kepada atasan pejabat penilai."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class KlarifikasiForm(forms.Form):
    text = forms.CharField(label=_("Klarifikasi Anda"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class KeputusanForm(forms.Form):
    """The atasan pejabat penilai's decision. The predikat is never a field: it follows from the
    two ratings (rules §1.6.2). ``konfirmasi`` is set by the confirmation step."""

    TETAP, DIUBAH = "TETAP", "DIUBAH"

    keputusan = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[(TETAP, _("Hasil tetap")), (DIUBAH, _("Hasil diubah"))],
        widget=forms.RadioSelect,
    )
    rating_hasil_kerja = forms.ChoiceField(
        label=_("Rating Hasil Kerja baru"), choices=[("", "—"), *Rating.choices], required=False
    )
    rating_perilaku_kerja = forms.ChoiceField(
        label=_("Rating Perilaku Kerja baru"), choices=[("", "—"), *Rating.choices], required=False
    )
    pertimbangan = forms.CharField(
        label=_("Pertimbangan keputusan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    konfirmasi = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("keputusan") == self.DIUBAH:
            for name in ("rating_hasil_kerja", "rating_perilaku_kerja"):
                if not data.get(name):
                    self.add_error(name, _("Pilih rating baru bila hasil diubah."))
        elif data.get("keputusan") == self.TETAP:
            data["rating_hasil_kerja"] = data["rating_perilaku_kerja"] = ""
        return data

    @property
    def ubah(self) -> bool:
        return self.cleaned_data["keputusan"] == self.DIUBAH


class KeberatanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Semua status")), *StatusKeberatan.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
    )


# --- 360° ----------------------------------------------------------------------------------------------


class UndanganForm(forms.Form):
    """The people to invite, by id among the offered candidates (the page lists them)."""

    penilai = forms.TypedMultipleChoiceField(
        label=_("Penilai"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penilai"].choices = [(p.pk, p.nama_lengkap) for p in candidates]

    @property
    def ticked(self) -> set[int]:
        """The ids ticked in the submitted form, valid or not, so a refused list keeps its ticks."""
        if not self.is_bound:
            return set()
        return {pk for pk in map(as_id, self.data.getlist("penilai")) if pk is not None}


SKOR_CHOICES = [
    (1, _("Di bawah ekspektasi")),
    (2, _("Sesuai ekspektasi")),
    (3, _("Di atas ekspektasi")),
]


class Jawaban360Form(forms.Form):
    """One rating 1–3 and an optional comment for each BerAKHLAK value."""

    def __init__(self, *args, values: list[CoreValue], **kwargs):
        super().__init__(*args, **kwargs)
        self.values = values
        for value in values:
            self.fields[f"skor_{value.pk}"] = forms.TypedChoiceField(
                label=value.nama,
                choices=SKOR_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih salah satu untuk nilai ini.")},
            )
            self.fields[f"komentar_{value.pk}"] = forms.CharField(
                label=_("Komentar (boleh dikosongkan)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def sections(self) -> list[dict]:
        """One block per value for the template: the value, its panduan and its two fields."""
        return [{"value": v, "skor": self[f"skor_{v.pk}"], "komentar": self[f"komentar_{v.pk}"]} for v in self.values]

    def skor(self) -> dict[int, int]:
        return {v.pk: self.cleaned_data[f"skor_{v.pk}"] for v in self.values}

    def komentar(self) -> dict[int, str]:
        return {v.pk: self.cleaned_data[f"komentar_{v.pk}"] for v in self.values}
