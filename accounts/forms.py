"""Forms validate and lay out; they never write (the views call accounts.services)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sikap.tabular import MAX_BYTES

from .models import Instansi, Jabatan, JenisASN, JenisImpor, Pegawai, Penugasan, StatusPegawai, UnitKerja


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper(submit_label=None) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label or _("Simpan")))
    return helper


class LoginForm(AuthenticationForm):
    """Login by NIP (employees) or username (admins). The error never says which part was wrong."""

    username = forms.CharField(
        label=_("NIP atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("NIP/nama pengguna atau kata sandi salah. Periksa kembali lalu coba lagi."),
        "inactive": _("Akun ini tidak aktif. Hubungi admin kepegawaian."),
    }

    def clean_username(self):
        # People paste NIPs in display form ("19660801 198803 1 001").
        username = self.cleaned_data["username"].strip()
        return username.replace(" ", "") if username.replace(" ", "").isdigit() else username

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Masuk"))


def _unique_kode(form, model, message: str) -> str:
    """A code is unique within the instansi when given (the constraint names the instansi, which is
    not a form field, so the form checks it itself rather than meet the constraint as an error)."""
    kode = form.cleaned_data.get("kode", "").strip()
    if kode and model.objects.filter(instansi=form.instansi, kode=kode).exclude(pk=form.instance.pk).exists():
        raise forms.ValidationError(message)
    return kode


class UnitKerjaForm(forms.ModelForm):
    class Meta:
        model = UnitKerja
        fields = ["kode", "nama", "singkatan", "jenis", "parent"]

    def __init__(self, *args, instansi: Instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.instansi = instansi
        qs = UnitKerja.objects.filter(instansi=instansi).order_by("path")
        if self.instance.pk:
            qs = qs.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = qs
        self.fields["parent"].empty_label = _("— (unit tertinggi) —")
        self.fields["kode"].help_text = _("Kode dari SIASN/SIMPEG; dipakai untuk mengenali unit saat impor.")
        self.helper = _helper()

    def clean_kode(self):
        return _unique_kode(self, UnitKerja, _("Kode unit ini sudah dipakai unit lain."))


class JabatanForm(forms.ModelForm):
    class Meta:
        model = Jabatan
        fields = ["kode", "nama", "jenis", "jenjang", "kelas_jabatan", "unit", "atasan", "is_kepala_unit"]

    def __init__(self, *args, instansi: Instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.instansi = instansi
        self.fields["unit"].queryset = UnitKerja.objects.filter(instansi=instansi).order_by("path")
        atasan = Jabatan.objects.filter(instansi=instansi).select_related("unit").order_by("unit__path", "jenis")
        if self.instance.pk:
            atasan = atasan.exclude(pk=self.instance.pk)
        self.fields["atasan"].queryset = atasan
        self.fields["atasan"].label_from_instance = lambda j: f"{j.nama} — {j.unit.nama}"
        self.fields["kelas_jabatan"].widget.attrs.update(min=1, max=17)
        self.helper = _helper()
        self.instansi = instansi
        self.helper.layout = Layout(
            Row(Column("kode", css_class="col-md-3"), Column("nama")),
            Row(Column("jenis"), Column("jenjang"), Column("kelas_jabatan")),
            "unit",
            "atasan",
            "is_kepala_unit",
        )

    def clean_kode(self):
        return _unique_kode(self, Jabatan, _("Kode jabatan ini sudah dipakai jabatan lain."))


class PegawaiForm(forms.ModelForm):
    # Longer than the 18 stored digits: people type the display form with spaces.
    nip = forms.CharField(label=_("NIP / NI PPPK"), max_length=24)

    class Meta:
        model = Pegawai
        fields = [
            "jenis_asn", "nip", "nip_lama", "gelar_depan", "nama", "gelar_belakang",
            "jenis_kelamin", "tanggal_lahir", "golongan", "status", "email",
        ]  # fmt: skip
        widgets = {"tanggal_lahir": DateInput()}

    def __init__(self, *args, instansi: Instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.instansi = instansi
        self.instance.instansi = instansi
        self.fields["nip"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["nip"].help_text = _("18 digit tanpa spasi, mis. 196608011988031001.")
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("jenis_asn", css_class="col-md-4"), Column("nip", css_class="col-md-8")),
            Row(
                Column("gelar_depan", css_class="col-md-3"),
                Column("nama"),
                Column("gelar_belakang", css_class="col-md-3"),
            ),
            Row(Column("jenis_kelamin"), Column("tanggal_lahir"), Column("golongan")),
            Row(Column("status"), Column("email"), Column("nip_lama")),
        )

    def clean_nip(self):
        nip = self.cleaned_data["nip"].replace(" ", "")
        taken = Pegawai.objects.filter(instansi=self.instansi, nip=nip).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("NIP/NI PPPK ini sudah terdaftar di instansi ini."), code="duplicate")
        return nip


class PenugasanForm(forms.ModelForm):
    class Meta:
        model = Penugasan
        fields = ["jabatan", "jenis", "mulai", "selesai", "nomor_sk"]
        widgets = {"mulai": DateInput(), "selesai": DateInput()}

    def __init__(self, *args, instansi: Instansi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jabatan"].queryset = (
            Jabatan.objects.filter(instansi=instansi).select_related("unit").order_by("unit__path", "jenis", "nama")
        )
        self.fields["jabatan"].label_from_instance = lambda j: f"{j.nama} — {j.unit.nama}"
        self.helper = _helper()
        self.helper.layout = Layout("jabatan", Row(Column("jenis"), Column("mulai"), Column("selesai")), "nomor_sk")

    def clean(self):
        cleaned = super().clean()
        mulai, selesai = cleaned.get("mulai"), cleaned.get("selesai")
        if mulai and selesai and selesai < mulai:
            self.add_error("selesai", _("TMT selesai tidak boleh sebelum TMT mulai."))
        return cleaned


class PegawaiFilterForm(forms.Form):
    """The search and filters above the employee list (GET)."""

    q = forms.CharField(label=_("Cari nama atau NIP"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=UnitKerja.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua status"))] + StatusPegawai.choices, required=False
    )
    jenis_asn = forms.ChoiceField(
        label=_("Jenis ASN"), choices=[("", _("PNS & PPPK"))] + JenisASN.choices, required=False
    )
    jabatan = forms.ModelChoiceField(label=_("Jabatan"), queryset=Jabatan.objects.none(), required=False)

    def __init__(self, *args, instansi: Instansi | None, **kwargs):
        super().__init__(*args, **kwargs)
        if instansi is not None:
            self.fields["unit"].queryset = UnitKerja.objects.filter(instansi=instansi).order_by("path")
            self.fields["jabatan"].queryset = Jabatan.objects.filter(instansi=instansi).order_by("nama")
        self.fields["unit"].empty_label = _("Semua unit")
        self.fields["jabatan"].empty_label = _("Semua jabatan")


class JabatanFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama jabatan"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=UnitKerja.objects.none(), required=False)
    jenis = forms.ChoiceField(label=_("Jenis"), required=False)

    def __init__(self, *args, instansi: Instansi, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import JenisJabatan

        self.fields["unit"].queryset = UnitKerja.objects.filter(instansi=instansi).order_by("path")
        self.fields["unit"].empty_label = _("Semua unit")
        self.fields["jenis"].choices = [("", _("Semua jenis"))] + JenisJabatan.choices


class ImporForm(forms.Form):
    """Choose the kind of data and the file for an import's dry-run (the view keeps it)."""

    jenis = forms.ChoiceField(label=_("Jenis data"), choices=JenisImpor.choices, widget=forms.RadioSelect)
    berkas = forms.FileField(
        label=_("Berkas Excel (.xlsx) atau CSV"),
        help_text=_(
            "Baris pertama berisi judul kolom, seperti pada templat atau ekspor SIASN/SIMPEG. Paling besar 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Uji coba impor"))

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if berkas.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 10 MB; bagi menjadi beberapa berkas."), code="too_big")
        return berkas
