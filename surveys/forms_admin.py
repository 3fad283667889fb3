"""Forms of SKM administration. They validate and lay out; they never write (the views call
surveys.services_admin, or surveys.services.unit_layanan_create)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Instansi

from . import rules, selectors
from .models import JenisPeriodeSurvei, JenisSaluran, PertanyaanUnsur, StatusTindakLanjut


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper(submit_label=None, *, inline: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label or _("Simpan"), css_class="btn-sm" if inline else ""))
    return helper


class UnitLayananCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=None)
    nama_publik = forms.CharField(
        label=_("Nama yang ditampilkan kepada publik"),
        max_length=200,
        help_text=_("Mis. Puskesmas Sukajadi, Kantor Kecamatan Dumai Barat."),
    )

    def __init__(self, *args, instansi: Instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.unit_kerja_without_layanan(instansi=instansi)
        self.fields["unit"].label_from_instance = lambda u: f"{'— ' * u.depth}{u.nama}"
        self.helper = _helper(_("Jadikan unit layanan"))


class JenisLayananForm(forms.Form):
    nama = forms.CharField(label=_("Jenis layanan baru"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tambah"), inline=True)


class SaluranForm(forms.Form):
    jenis = forms.ChoiceField(
        label=_("Jenis saluran"),
        choices=[(JenisSaluran.LOKET, JenisSaluran.LOKET.label), (JenisSaluran.PETUGAS, JenisSaluran.PETUGAS.label)],
    )
    label = forms.CharField(
        label=_("Label"), max_length=120, required=False, help_text=_("Mis. Loket 1. Kosongkan untuk nama petugas.")
    )
    petugas = forms.ModelChoiceField(label=_("Petugas"), queryset=None, required=False)

    def __init__(self, *args, instansi: Instansi | int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["petugas"].queryset = selectors.petugas_choices(instansi=instansi)
        self.fields["petugas"].label_from_instance = lambda p: f"{p.nama_lengkap} — {p.unit.nama if p.unit else '-'}"
        self.helper = _helper(_("Tambah saluran"), inline=True)
        self.helper.layout = Layout(Row(Column("jenis"), Column("label"), Column("petugas")))

    def clean(self):
        data = super().clean()
        if data.get("jenis") == JenisSaluran.PETUGAS and not data.get("petugas"):
            self.add_error("petugas", _("Pilih pegawai yang melayani."))
        if data.get("jenis") == JenisSaluran.LOKET and not (data.get("label") or "").strip():
            self.add_error("label", _("Beri label loketnya, mis. Loket 1."))
        return data


class PertanyaanForm(forms.Form):
    """The wording of one unsur's question and its four answer labels (the unsur is fixed)."""

    teks = forms.CharField(label=_("Pertanyaan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    label_1 = forms.CharField(label=_("Label nilai 1"), max_length=80)
    label_2 = forms.CharField(label=_("Label nilai 2"), max_length=80)
    label_3 = forms.CharField(label=_("Label nilai 3"), max_length=80)
    label_4 = forms.CharField(label=_("Label nilai 4"), max_length=80)

    def __init__(self, *args, pertanyaan: PertanyaanUnsur, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "teks": pertanyaan.teks,
                **{f"label_{i}": getattr(pertanyaan, f"label_{i}") for i in range(1, 5)},
            },
        )
        super().__init__(*args, **kwargs)
        standar = rules.UNSUR_BY_KODE[pertanyaan.unsur]
        self.fields["teks"].help_text = _("Baku: %(teks)s") % {"teks": standar.pertanyaan}
        for i in range(1, 5):
            self.fields[f"label_{i}"].help_text = standar.label[i - 1]
        self.helper = _helper()
        self.helper.form_tag = False
        self.helper.inputs = []
        self.helper.layout = Layout(
            "teks", Row(Column("label_1"), Column("label_2"), Column("label_3"), Column("label_4"))
        )

    @property
    def labels(self) -> tuple[str, str, str, str]:
        return tuple(self.cleaned_data[f"label_{i}"] for i in range(1, 5))  # type: ignore[return-value]


class PeriodeForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis periode"), choices=JenisPeriodeSurvei.choices)
    label = forms.CharField(label=_("Label"), max_length=60, help_text=_("Mis. Triwulan I 2026."))
    mulai = forms.DateField(label=_("Mulai"), widget=DateInput())
    selesai = forms.DateField(label=_("Selesai"), widget=DateInput())
    populasi = forms.IntegerField(
        label=_("Populasi pengguna layanan (N)"),
        min_value=1,
        help_text=_("Jumlah penerima layanan dalam periode (atau setahun terakhir)."),
    )
    metode_sampel = forms.ChoiceField(
        label=_("Penentuan sampel"),
        choices=[("TABLE", _("Tabel Krejcie–Morgan (baris N berikutnya)")), ("FORMULA", _("Rumus Krejcie–Morgan"))],
        initial="TABLE",
    )

    def __init__(self, *args, sampel_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if sampel_url:
            # The required sample follows N and the method as they are typed (htmx; the page
            # still shows it after submitting without JavaScript).
            for name in ("populasi", "metode_sampel"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": sampel_url,
                        "hx-trigger": "input changed delay:300ms, change",
                        "hx-target": "#sampel-preview",
                        "hx-include": "[name=populasi],[name=metode_sampel]",
                    }
                )
        self.helper = _helper(_("Buka periode"))
        self.helper.layout = Layout(
            Row(Column("jenis"), Column("label")),
            Row(Column("mulai"), Column("selesai")),
            Row(Column("populasi"), Column("metode_sampel")),
        )

    def clean(self):
        data = super().clean()
        if data.get("mulai") and data.get("selesai") and data["selesai"] < data["mulai"]:
            self.add_error("selesai", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


class TindakLanjutForm(forms.Form):
    rencana = forms.CharField(
        label=_("Rencana tindak lanjut"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Status"), choices=StatusTindakLanjut.choices)
    target_selesai = forms.DateField(label=_("Target selesai"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Simpan"), inline=True)
        self.helper.form_tag = False
        self.helper.inputs = []
        self.helper.layout = Layout("rencana", Row(Column("status"), Column("target_selesai")))
