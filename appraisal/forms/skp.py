"""Forms of the SKP screens. They validate the shape of what was typed and lay it out;
the law (targets, intervened RHK, workflow) is checked by appraisal.services, whose
ValidationError lands back on the same form. They never write.

These are plain forms, not ModelForms: a ModelForm would run the model's constraints
first and answer a reversed target range with the constraint's name instead of the
rule's sentence."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    IKI,
    RHK,
    SKP,
    Arah,
    Aspek,
    JenisLampiran,
    JenisRHK,
    LampiranSKP,
    Pendekatan,
    Perspektif,
    SKPPerilaku,
    SumberRealisasi,
)

# The sources an employee may choose for an IKI of their own; a file or another system needs a
# catalogue indicator, which names the value in the data (services._apply_katalog).
SELF_CHOSEN_SOURCES = (SumberRealisasi.SENDIRI, SumberRealisasi.SKM, SumberRealisasi.SKM_PETUGAS)
NUMERIC_TARGET = _("SKP kuantitatif memerlukan target berupa angka.")  # the rule's own sentence (rules.target_problems)


def _helper(*rows) -> FormHelper:
    """Our templates write the <form> tag (it carries the htmx attributes) and the buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if rows:
        helper.layout = Layout(*rows)
    return helper


class TargetField(forms.DecimalField):
    """A target number typed the Indonesian way ("12,5") or the other way ("12.5")."""

    default_error_messages = {"invalid": NUMERIC_TARGET}

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):  # show 12 rather than 12.00
            return format(value.normalize() if value == value.to_integral() else value, "f")
        return value


class RHKForm(forms.Form):
    """A Rencana Hasil Kerja. ``rhk_atasan`` accepts any id: whether it belongs to the
    supervisor's approved SKP is the service's call, so a tampered id gets its message."""

    uraian = forms.CharField(
        label=_("Rencana hasil kerja (RHK)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rhk_atasan = forms.IntegerField(label=_("RHK pimpinan yang diintervensi"), required=False, widget=forms.Select)
    perspektif = forms.ChoiceField(
        label=_("Perspektif"), choices=[("", _("— pilih perspektif —")), *Perspektif.choices]
    )

    def __init__(self, *args, skp: SKP, jenis: str, parent_choices: list[RHK] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if jenis == JenisRHK.TAMBAHAN or skp.pejabat_penilai_id is None:
            del self.fields["rhk_atasan"]  # Tambahan has no parent; the head of the instansi has no supervisor
        else:
            field = self.fields["rhk_atasan"]
            field.widget.choices = [("", _("— pilih RHK pimpinan —"))] + [
                (r.pk, r.uraian[:150]) for r in parent_choices
            ]
            field.help_text = (
                _("RHK pada SKP pejabat penilai Anda yang sudah disetujui.")
                if parent_choices
                else _("SKP pejabat penilai Anda belum disetujui; pilih RHK pimpinan setelah disetujui.")
            )
        if not skp.is_jpt:
            del self.fields["perspektif"]
        self.helper = _helper()

    @classmethod
    def initial_for(cls, rhk: RHK) -> dict:
        return {"uraian": rhk.uraian, "rhk_atasan": rhk.rhk_atasan_id, "perspektif": rhk.perspektif}

    def apply_to(self, rhk: RHK) -> RHK:
        """Copy the cleaned values onto an (unsaved) RHK for the service to check and save."""
        data = self.cleaned_data
        rhk.uraian = data["uraian"]
        rhk.rhk_atasan_id = data.get("rhk_atasan")
        rhk.perspektif = data.get("perspektif", "")
        return rhk


class IKIForm(forms.Form):
    """An Indikator Kinerja Individu with its target: a number or a range and a unit for a
    kuantitatif SKP; a described target for a kualitatif one (rules §1.4.3)."""

    aspek = forms.ChoiceField(label=_("Aspek"), choices=[("", _("— pilih aspek —")), *Aspek.choices])
    uraian = forms.CharField(
        label=_("Indikator kinerja individu (IKI)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    target_min = TargetField(
        label=_("Target"), help_text=_("Angka, mis. 12 atau 97,5."), error_messages={"required": NUMERIC_TARGET}
    )
    target_max = TargetField(
        label=_("Batas atas (opsional)"), required=False, help_text=_("Isi bila target berupa rentang.")
    )
    satuan = forms.CharField(label=_("Satuan"), max_length=60, help_text=_("Mis. dokumen, %, hari."))
    arah = forms.ChoiceField(label=_("Arah"), choices=Arah.choices, initial=Arah.NAIK)
    target_text = forms.CharField(
        label=_("Target (uraian)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kondisi yang diharapkan, dalam kalimat."),
    )

    # Issue 10: a standard indicator from the instansi's catalogue (wording, unit, direction and source
    # then follow the catalogue: services.iki_save applies it), or a source for an IKI of one's own.
    katalog = forms.TypedChoiceField(
        label=_("Ambil dari katalog indikator"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Opsional. Bila dipilih, uraian, aspek, satuan, arah, dan sumber realisasi mengikuti katalog; "
            "Anda cukup mengisi target."
        ),
    )
    sumber = forms.ChoiceField(
        label=_("Sumber realisasi"),
        required=False,
        choices=[(c, SumberRealisasi(c).label) for c in SELF_CHOSEN_SOURCES],
        initial=SumberRealisasi.SENDIRI,
        help_text=_("Untuk IKI di luar katalog. Realisasi dari berkas atau sistem lain memerlukan indikator katalog."),
    )
    # Without a catalogue indicator these are needed; with one the catalogue supplies them.
    FROM_KATALOG = ("aspek", "uraian", "satuan")

    def __init__(self, *args, skp: SKP, katalog=None, **kwargs):
        """``katalog``: (suggested, others) lists of KatalogIndikator (selectors_evaluasi.katalog_for_iki)."""
        super().__init__(*args, **kwargs)
        self.kuantitatif = skp.pendekatan == Pendekatan.KUANTITATIF
        suggested, others = katalog or ([], [])
        self.katalog_items = {k.pk: k for k in [*suggested, *others]}
        if self.kuantitatif:
            del self.fields["target_text"]
            # The JA/JF form has an ASPEK column (rules §1.4.3); the JPT form has none (§1.4.4).
            if skp.is_jpt:
                del self.fields["aspek"]
            self._katalog_choices(suggested, others)
            rows = [
                Field("katalog") if self.katalog_items else None,
                Field("aspek") if not skp.is_jpt else None,
                "uraian",
                Row(
                    Column("target_min", css_class="col-6 col-md-3"),
                    Column("target_max", css_class="col-6 col-md-3"),
                    Column("satuan", css_class="col-12 col-md-3"),
                    Column("arah", css_class="col-12 col-md-3"),
                ),
                "sumber",
            ]
            if not self.katalog_items:
                del self.fields["katalog"]
            for name in self.FROM_KATALOG:
                if name in self.fields:
                    self.fields[name].required = False
        else:
            # Sourced realisations are for kuantitatif IKI only (services.iki_save).
            del self.fields["katalog"], self.fields["sumber"]
            for name in ("target_min", "target_max", "satuan", "arah"):
                del self.fields[name]
            if skp.is_jpt:
                del self.fields["aspek"]
            else:
                self.fields["aspek"].required = False
            # A kualitatif target is a sentence; an empty one is the rule's to refuse.
            rows = [Field("aspek") if not skp.is_jpt else None, "uraian", "target_text"]
        self.helper = _helper(*[r for r in rows if r is not None])

    def _katalog_choices(self, suggested, others) -> None:
        def label(k):
            return f"{k.nama} ({k.satuan}; {k.get_sumber_bawaan_display()})"

        choices = [("", _("— tidak memakai katalog —"))]
        if suggested:
            choices.append((_("Disarankan untuk jabatan Anda"), [(k.pk, label(k)) for k in suggested]))
        if others:
            choices.append((_("Katalog lain"), [(k.pk, f"{k.kelompok_jabatan}: {label(k)}") for k in others]))
        self.fields["katalog"].choices = choices

    def clean_katalog(self):
        pk = self.cleaned_data.get("katalog")
        if pk is not None and pk not in self.katalog_items:
            raise forms.ValidationError(_("Pilih indikator dari daftar."))
        return pk

    def clean(self):
        data = super().clean()
        if self.kuantitatif and not data.get("katalog"):
            for name in self.FROM_KATALOG:
                if name in self.fields and not data.get(name) and name not in self.errors:
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return data

    @classmethod
    def initial_for(cls, iki: IKI) -> dict:
        return {
            "katalog": iki.katalog_id,
            "sumber": iki.sumber if iki.sumber in SELF_CHOSEN_SOURCES else SumberRealisasi.SENDIRI,
            "aspek": iki.aspek,
            "uraian": iki.uraian,
            "target_min": iki.target_min,
            "target_max": iki.target_max,
            "satuan": iki.satuan,
            "arah": iki.arah,
            "target_text": iki.target_text,
        }

    def apply_to(self, iki: IKI) -> IKI:
        """Copy the cleaned values onto an (unsaved) IKI. The form shows the whole target for
        the SKP's pendekatan, so what belongs to the other one is cleared."""
        if self.kuantitatif:
            iki.target_text = ""
        else:
            iki.target_min = iki.target_max = None
        data = dict(self.cleaned_data)
        katalog_pk = data.pop("katalog", None)
        sumber = data.pop("sumber", None) or SumberRealisasi.SENDIRI
        for name, value in data.items():
            if name in self.FROM_KATALOG and katalog_pk and not value:
                continue  # the catalogue supplies it (services.iki_save)
            setattr(iki, name, value)
        if "katalog" in self.fields or not self.kuantitatif:
            iki.katalog = self.katalog_items.get(katalog_pk) if katalog_pk else None
        # With a catalogue indicator its default source applies (services._apply_katalog).
        iki.sumber = SumberRealisasi.SENDIRI if katalog_pk else sumber
        return iki


class LampiranForm(forms.Form):
    jenis = forms.ChoiceField(choices=JenisLampiran.choices, widget=forms.HiddenInput)
    uraian = forms.CharField(label=_("Uraian"), max_length=1000)

    def apply_to(self, lampiran: LampiranSKP) -> LampiranSKP:
        lampiran.jenis = self.cleaned_data["jenis"]
        lampiran.uraian = self.cleaned_data["uraian"]
        return lampiran


class PendekatanForm(forms.Form):
    pendekatan = forms.ChoiceField(label=_("Pendekatan hasil kerja"), choices=Pendekatan.choices)


class EkspektasiForm(forms.Form):
    """The ekspektasi khusus pimpinan, one optional text per core value (rules §1.4.5)."""

    def __init__(self, *args, perilaku: list[SKPPerilaku], **kwargs):
        super().__init__(*args, **kwargs)
        for row in perilaku:
            self.fields[self.name_for(row)] = forms.CharField(
                label=row.core_value.nama,
                required=False,
                max_length=2000,
                initial=row.ekspektasi_khusus,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.perilaku = perilaku

    @staticmethod
    def name_for(row: SKPPerilaku) -> str:
        return f"cv_{row.core_value_id}"

    def ekspektasi(self) -> dict[int, str]:
        return {row.core_value_id: self.cleaned_data[self.name_for(row)] for row in self.perilaku}


class CatatanForm(forms.Form):
    """The pejabat penilai's comment when returning an SKP (the service requires it)."""

    catatan = forms.CharField(
        label=_("Catatan untuk pegawai"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jelaskan apa yang perlu diperbaiki."),
    )


class AlasanForm(forms.Form):
    """The reason for opening a revision of an approved SKP (the service requires it)."""

    alasan = forms.CharField(
        label=_("Alasan perubahan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mis. perubahan RHK pimpinan atau prioritas organisasi."),
    )


class DistributionForm(forms.Form):
    """Matriks peran hasil: one of my approved RHK to several direct subordinates."""

    rhk = forms.TypedChoiceField(label=_("RHK yang dibagikan"), coerce=int, widget=forms.RadioSelect)
    bawahan = forms.TypedMultipleChoiceField(
        label=_("Bawahan langsung"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rhk: list[RHK], subordinates: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rhk"].choices = [(r.pk, r.uraian) for r in rhk]
        self.fields["bawahan"].choices = [(p.pk, p.nama_lengkap) for p in subordinates]
        self.fields["bawahan"].error_messages["required"] = _("Pilih paling sedikit satu bawahan.")
        self.fields["rhk"].error_messages["required"] = _("Pilih RHK yang akan dibagikan.")
        self._rhk = {r.pk: r for r in rhk}
        self._subordinates = {p.pk: p for p in subordinates}

    def chosen_rhk(self) -> RHK:
        return self._rhk[self.cleaned_data["rhk"]]

    def chosen_subordinates(self) -> list:
        return [self._subordinates[pk] for pk in self.cleaned_data["bawahan"]]
