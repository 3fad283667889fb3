"""Forms of the SKM: the citizen's questionnaire (rules §6.3, §6.4) and the moderation screens.

They check the shape of what was sent and say what is wrong in plain Indonesian; they never write.
The abuse signals (honeypot, time stamp) are read here but never reported back as errors: a bot
must not learn which rule it tripped. The rules themselves live in surveys.services."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import rules, services
from .models import JenisLayanan, Pekerjaan, Pendidikan, PertanyaanUnsur, Respons, UnitLayanan

# --- The time stamp and the honeypot ----------------------------------------------------------

STAMP_SALT = "sikap.surveys.stempel"
HONEYPOT_FIELD = "website"  # a name bots like to fill; people never see the field
CLOCK_SKEW_SECONDS = 5  # several web servers may disagree a little about the time


def fill_stamp(kode: str, *, issued_at: float | None = None) -> str:
    """A signed stamp of when the form of channel ``kode`` was served (django.core.signing)."""
    issued_at = time.time() if issued_at is None else issued_at
    return signing.dumps({"k": kode, "t": round(issued_at, 3)}, salt=STAMP_SALT)


def fill_seconds(stamp: str, kode: str, *, now: float | None = None) -> int | None:
    """Whole seconds since ``stamp`` was issued for ``kode``; None if it is missing, forged,
    issued for another channel or from the future."""
    try:
        payload = signing.loads(stamp or "", salt=STAMP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("k") != kode or not isinstance(payload.get("t"), int | float):
        return None
    elapsed = (time.time() if now is None else now) - payload["t"]
    if elapsed < -CLOCK_SKEW_SECONDS:
        return None
    return max(0, int(elapsed))


# --- The questionnaire ---------------------------------------------------------------------------

PILIH_JAWABAN = _("Pilih salah satu jawaban untuk pertanyaan ini.")
BELUM_DIJAWAB = _("Belum dijawab. Pilih satu jawaban untuk setiap pertanyaan.")
USIA_MIN, USIA_MAX = 15, 100
SARAN_MAX = 1000


def answer_field_name(kode: str) -> str:
    return kode.lower()  # U1 → u1


@dataclass(frozen=True)
class Pertanyaan:
    """One question as the template shows it: its number, unsur and bound radio field."""

    nomor: int
    unsur: str
    field: forms.BoundField


def _wording(unit_layanan: UnitLayanan, pertanyaan: list[PertanyaanUnsur]) -> dict[str, tuple[str, tuple]]:
    """The unit's wording per unsur, the standard one (rules §6.3) where the unit has none."""
    own = {p.unsur: (p.teks, (p.label_1, p.label_2, p.label_3, p.label_4)) for p in pertanyaan}
    return {u.kode: own.get(u.kode, (u.pertanyaan, u.label)) for u in rules.UNSUR}


WIDGET_CLASSES = {
    "jenis_layanan": "form-select form-select-lg",
    "usia": "form-control form-control-lg skm-usia",
    "pendidikan": "form-select form-select-lg",
    "pekerjaan": "form-select form-select-lg",
    "pekerjaan_lain": "form-control form-control-lg",
    "saran": "form-control",
}


class SurveiForm(forms.Form):
    """The public questionnaire of one channel. Only the demographics of rules §6.4: no name,
    NIK, address or religion, ever."""

    DEMOGRAPHICS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain")
    SHORT_NAMES = {  # in the error summary, where the full label would read awkwardly
        "t": _("Token"),
        "jenis_layanan": _("Jenis layanan"),
        "pekerjaan_lain": _("Pekerjaan lainnya"),
        "saran": _("Saran"),
    }

    # The unit's services are read once by the view and checked against that list: a
    # ModelChoiceField would query again to render its options and again to validate the answer.
    jenis_layanan = forms.TypedChoiceField(
        label=_("Layanan apa yang Anda terima hari ini?"),
        empty_value=None,
        error_messages={
            "required": _("Pilih jenis layanan yang Anda terima."),
            "invalid_choice": _("Jenis layanan tidak dikenal. Pilih dari daftar."),
        },
    )
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=Respons._meta.get_field("jenis_kelamin").choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih jenis kelamin Anda."),
            "invalid_choice": _("Pilihan jenis kelamin tidak valid."),
        },
    )
    usia = forms.IntegerField(
        label=_("Usia (tahun)"),
        min_value=USIA_MIN,
        max_value=USIA_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Isi usia Anda dalam tahun."),
            "invalid": _("Isi usia dengan angka, misalnya 34."),
            "min_value": _("Usia harus antara 15 dan 100 tahun."),
            "max_value": _("Usia harus antara 15 dan 100 tahun."),
        },
    )
    pendidikan = forms.ChoiceField(
        label=_("Pendidikan terakhir"),
        choices=[("", _("— Pilih pendidikan —")), *Pendidikan.choices],
        error_messages={
            "required": _("Pilih pendidikan terakhir Anda."),
            "invalid_choice": _("Pilihan pendidikan tidak valid."),
        },
    )
    pekerjaan = forms.ChoiceField(
        label=_("Pekerjaan"),
        choices=[("", _("— Pilih pekerjaan —")), *Pekerjaan.choices],
        error_messages={
            "required": _("Pilih pekerjaan Anda."),
            "invalid_choice": _("Pilihan pekerjaan tidak valid."),
        },
    )
    pekerjaan_lain = forms.CharField(
        label=_("Jika memilih Lainnya, sebutkan pekerjaan Anda"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": _("Cukup tulis singkat: maksimal 60 karakter.")},
    )
    saran = forms.CharField(
        label=_("Saran dan masukan"),
        required=False,
        max_length=SARAN_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "saran-help"}),
        help_text=_("Maksimal 1000 karakter."),
        error_messages={
            "max_length": _("Saran terlalu panjang: maksimal 1000 karakter (tertulis %(show_value)d karakter).")
        },
    )
    t = forms.CharField(
        label=_("Kode token (tercetak pada struk atau karcis antrean)"),
        required=False,
        max_length=32,
        widget=forms.HiddenInput,
    )
    stempel = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, saluran, pertanyaan: list[PertanyaanUnsur], jenis_layanan: list[JenisLayanan], **kwargs):
        super().__init__(*args, **kwargs)
        self.saluran = saluran
        self.unit_layanan = saluran.unit_layanan
        by_pk = {str(j.pk): j for j in jenis_layanan}
        field = self.fields["jenis_layanan"]
        field.choices = [("", _("— Pilih jenis layanan —")), *((pk, j.nama) for pk, j in by_pk.items())]
        field.coerce = by_pk.__getitem__
        # A unit without a catalogue of services still gets its survey, without that question.
        field.required = bool(by_pk)
        for kode, (teks, labels) in _wording(self.unit_layanan, pertanyaan).items():
            self.fields[answer_field_name(kode)] = forms.TypedChoiceField(
                label=teks,
                choices=list(enumerate(labels, start=1)),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": PILIH_JAWABAN,
                    "invalid_choice": _("Jawaban tidak valid. Pilih salah satu dari empat jawaban yang tersedia."),
                },
            )
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Situs web (jangan diisi)"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        if not self.is_bound:
            self.initial.setdefault("stempel", fill_stamp(saluran.kode))
        for name, css in WIDGET_CLASSES.items():
            self.fields[name].widget.attrs["class"] = css
        self.about = [self[name] for name in ("usia", "pendidikan", "pekerjaan", "pekerjaan_lain")]
        self.questions = [
            Pertanyaan(nomor, u.nama, self[answer_field_name(u.kode)]) for nomor, u in enumerate(rules.UNSUR, start=1)
        ]

    def full_clean(self):
        super().full_clean()
        # Screen readers announce the error with the field it belongs to.
        for name in self.errors:
            if name in self.fields and name != "t":
                attrs = self.fields[name].widget.attrs
                described = " ".join(filter(None, [f"{name}-error", attrs.get("aria-describedby")]))
                attrs.update({"aria-invalid": "true", "aria-describedby": described})

    @cached_property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, what, message) for the list at the top of the page, in page order. Questions
        left unanswered make one line ("Pertanyaan 2, 5, 7") leading to the first of them."""
        numbers = {q.field.name: q.nomor for q in self.questions}
        summary = [("", "", str(e)) for e in self.non_field_errors()]
        unanswered = [n for n in numbers if self.has_error(n, "required")]
        for name in ["t", "jenis_layanan", *numbers, *self.DEMOGRAPHICS, "saran"]:
            if name not in self.errors:
                continue
            if name in unanswered:
                if name == unanswered[0]:
                    listed = ", ".join(str(numbers[n]) for n in unanswered)
                    message = PILIH_JAWABAN if len(unanswered) == 1 else BELUM_DIJAWAB
                    summary.append((f"f-{name}", str(_("Pertanyaan %(n)s") % {"n": listed}), str(message)))
                continue
            what = _("Pertanyaan %(n)s") % {"n": numbers[name]} if name in numbers else self.SHORT_NAMES.get(name)
            summary.append((f"f-{name}", str(what or self.fields[name].label), self.errors[name][0]))
        return summary

    @cached_property
    def token_message(self) -> str | None:
        """Why the token cannot be used: after a post, its error; on first opening a link with
        ?t=…, told at once rather than after the citizen has answered everything."""
        if self.is_bound:
            errors = self.errors.get("t")
            return errors[0] if errors else None
        kode = self.initial.get("t")
        return services.token_problem(unit_layanan=self.unit_layanan, kode=kode) if kode else None

    def token_input(self) -> str:
        """Hidden while the token is fine; a visible text box when it is wrong, so the citizen
        can correct it or empty it and send without a token."""
        if not self.token_message:
            return self["t"].as_hidden()
        attrs = {
            "class": "form-control form-control-lg is-invalid",
            "autocomplete": "off",
            "aria-describedby": "t-error",
        }
        return self["t"].as_widget(forms.TextInput(attrs=attrs))

    def clean_t(self) -> str:
        kode = services.normalize_token(self.cleaned_data.get("t"))
        if kode:
            problem = services.token_problem(unit_layanan=self.unit_layanan, kode=kode)
            if problem:
                raise forms.ValidationError(problem)
        return kode

    def submission_data(self) -> dict:
        """What services.respons_submit takes as ``data``."""
        data = self.cleaned_data
        return {
            "jawaban": {u.kode: data[answer_field_name(u.kode)] for u in rules.UNSUR},
            "jenis_layanan": data.get("jenis_layanan"),
            **{k: data[k] for k in ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain", "saran")},
            "t": data.get("t", ""),
        }

    def fill_seconds(self) -> int | None:
        return fill_seconds(self.data.get("stempel", ""), self.saluran.kode)

    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


# --- Moderation ----------------------------------------------------------------------------------

AKSI_TERIMA, AKSI_TOLAK = "terima", "tolak"


class ModerasiFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit layanan"), queryset=UnitLayanan.objects.none(), required=False, empty_label=_("Semua unit")
    )
    alasan = forms.ChoiceField(
        label=_("Alasan ditandai"),
        required=False,
        choices=[("", _("Semua alasan")), *services.TANDA_LABELS.items()],
    )

    def __init__(self, *args, instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitLayanan.objects.filter(instansi=instansi)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class ModerasiForm(forms.Form):
    """A decision on one or many flagged responses; ``konfirmasi`` is set by the confirmation step."""

    respons = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Pilih paling sedikit satu respons.")},
    )
    aksi = forms.ChoiceField(choices=[(AKSI_TERIMA, _("Terima")), (AKSI_TOLAK, _("Tolak"))])
    konfirmasi = forms.BooleanField(required=False, widget=forms.HiddenInput)
    kembali = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["respons"].choices = [(i, i) for i in ids]
