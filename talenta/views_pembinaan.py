"""Rencana pembinaan screens (issue 6 item 5): HR's training catalogue and schedules, enrolment
from training recommendations, the attendance sheet and the before/after comparison; the
employee's and the supervisor's views are in talenta.views (saya, tim)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import UnitKerja
from reports.exports import _sheet, _workbook, xlsx_response

from . import selectors, selectors_pembinaan, services_pembinaan
from .forms import EnrolForm, JadwalForm, KandidatFilterForm, PelatihanForm, PresensiForm, kompetensi_for
from .models import JadwalPelatihan, Pelatihan, PesertaPelatihan, StatusPeserta


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _form_page(request, form, title, back):
    return render(request, "accounts/form_page.html", {"form": form, "title": title, "back": back})


# --- Catalogue ------------------------------------------------------------------------------------


@login_required
def pelatihan_list(request):
    instansi = access.require_admin_instansi(request)
    return render(
        request,
        "talenta/pembinaan/pelatihan_list.html",
        {"items": selectors_pembinaan.pelatihan_list(instansi=instansi)},
    )


@login_required
def pelatihan_edit(request, pk=None):
    instansi = access.require_admin_instansi(request)
    pelatihan = access.get_pelatihan_for_admin(request, pk) if pk else Pelatihan(instansi=instansi)
    form = PelatihanForm(request.POST or None, instance=pelatihan, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        try:
            services_pembinaan.pelatihan_save(
                pelatihan=form.save(commit=False), kompetensi=form.cleaned_data["kompetensi"], by=request.user
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Pelatihan %(nama)s disimpan.") % {"nama": pelatihan.nama})
            return redirect("talenta:pelatihan_list")
    return _form_page(request, form, _("Ubah pelatihan") if pk else _("Tambah pelatihan"), "talenta:pelatihan_list")


# --- Schedules ------------------------------------------------------------------------------------


@login_required
def jadwal_list(request):
    instansi = access.require_admin_instansi(request)
    years = selectors_pembinaan.jadwal_years(instansi=instansi)
    form = KandidatFilterForm(request.GET)
    tahun = (form.cleaned_data.get("tahun") if form.is_valid() else None) or years[0]
    page = selectors_pembinaan.jadwal_page(instansi=instansi, tahun=tahun, page=request.GET.get("page"))
    context = {"page": page, "years": sorted({*years, tahun}, reverse=True), "tahun": tahun}
    return render(request, "talenta/pembinaan/jadwal_list.html", context)


@login_required
def jadwal_edit(request, pk=None):
    instansi = access.require_admin_instansi(request)
    jadwal = access.get_jadwal_for_admin(request, pk) if pk else JadwalPelatihan(instansi=instansi)
    form = JadwalForm(request.POST or None, instance=jadwal, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        try:
            services_pembinaan.jadwal_save(jadwal=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Jadwal pelatihan disimpan."))
            return redirect("talenta:jadwal_detail", pk=jadwal.pk)
    return _form_page(
        request, form, _("Ubah jadwal pelatihan") if pk else _("Tambah jadwal pelatihan"), "talenta:jadwal_list"
    )


def _sheet_context(jadwal, form=None) -> dict:
    peserta = selectors_pembinaan.peserta_of(jadwal=jadwal)
    return {
        "jadwal": jadwal,
        "peserta": peserta,
        "form": form or PresensiForm(peserta=peserta),
        "status_choices": StatusPeserta.choices,
    }


@login_required
def jadwal_detail(request, pk):
    """The schedule with its participants and the attendance sheet."""
    jadwal = access.get_jadwal_for_admin(request, pk)
    return render(request, "talenta/pembinaan/jadwal_detail.html", _sheet_context(jadwal))


@login_required
@require_POST
def jadwal_presensi(request, pk):
    """Save the attendance sheet; htmx gets the sheet back, a plain POST is redirected."""
    jadwal = access.get_jadwal_for_admin(request, pk)
    peserta = selectors_pembinaan.peserta_of(jadwal=jadwal)
    form = PresensiForm(request.POST, peserta=peserta)
    saved = False
    if form.is_valid():
        try:
            n = services_pembinaan.peserta_presensi_record(
                jadwal=jadwal, status_by_peserta=form.statuses(), by=request.user
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            saved = True
            messages.success(request, _("Kehadiran disimpan (%(n)s perubahan).") % {"n": n})
    if saved and not request.htmx:
        return redirect("talenta:jadwal_detail", pk=jadwal.pk)
    context = _sheet_context(jadwal, None if saved else form)
    if request.htmx:
        return render(request, "talenta/pembinaan/_presensi.html", context)
    return render(request, "talenta/pembinaan/jadwal_detail.html", context, status=400)


@login_required
@require_POST
def peserta_hapus(request, pk, peserta_pk):
    jadwal = access.get_jadwal_for_admin(request, pk)
    try:
        peserta = PesertaPelatihan.objects.select_related("pegawai").get(pk=peserta_pk, jadwal=jadwal)
    except PesertaPelatihan.DoesNotExist:
        raise Http404 from None
    try:
        services_pembinaan.peserta_remove(peserta=peserta, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(nama)s dihapus dari peserta.") % {"nama": peserta.pegawai.nama})
    return redirect("talenta:jadwal_detail", pk=jadwal.pk)


@login_required
def jadwal_peserta(request, pk):
    """Enrol from the training recommendations, filtered by year, unit and competency."""
    jadwal = access.get_jadwal_for_admin(request, pk)
    filters = KandidatFilterForm(request.GET)
    clean = filters.cleaned_data if filters.is_valid() else {}
    years = selectors.years_for(jadwal.instansi_id)
    tahun = clean.get("tahun") or years[0]
    unit = None
    if clean.get("unit"):
        unit = UnitKerja.objects.filter(pk=clean["unit"], instansi_id=jadwal.instansi_id).first()
        if unit is None:
            raise Http404
    kode = clean.get("kompetensi") or ""
    kandidat = selectors_pembinaan.kandidat_for(jadwal=jadwal, tahun=tahun, unit=unit, kompetensi_kode=kode)
    form = EnrolForm(request.POST or None, ids=[k["rekomendasi"].pk for k in kandidat if not k["terdaftar"]])
    if request.method == "POST" and form.is_valid():
        try:
            n = services_pembinaan.peserta_enrol(
                jadwal=jadwal, rekomendasi_ids=form.cleaned_data["rekomendasi"], by=request.user
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("%(n)s pegawai didaftarkan.") % {"n": n})
            return redirect("talenta:jadwal_detail", pk=jadwal.pk)
    context = {
        "jadwal": jadwal,
        "kandidat": kandidat,
        "form": form,
        "years": sorted({*years, tahun}, reverse=True),
        "tahun": tahun,
        "unit": unit,
        "units": list(UnitKerja.objects.filter(instansi_id=jadwal.instansi_id).only("pk", "nama", "depth")),
        "kompetensi": kode,
        "kompetensi_choices": list(kompetensi_for(jadwal.instansi_id).values_list("kode", "nama")),
    }
    return render(request, "talenta/pembinaan/jadwal_peserta.html", context, status=400 if form.errors else 200)


# --- Before and after -----------------------------------------------------------------------------


@login_required
def jadwal_dampak(request, pk):
    jadwal = access.get_jadwal_for_admin(request, pk)
    dampak = selectors_pembinaan.dampak_for(jadwal=jadwal)
    chart = {**dampak.chart, "label_sebelum": _("Sebelum pelatihan"), "label_sesudah": _("Sesudah pelatihan")}
    return render(request, "talenta/pembinaan/dampak.html", {"dampak": dampak, "jadwal": jadwal, "chart": chart})


@login_required
def jadwal_dampak_export(request, pk):
    """The comparison as an Excel workbook: one row per participant, then the summary."""
    jadwal = access.get_jadwal_for_admin(request, pk)
    dampak = selectors_pembinaan.dampak_for(jadwal=jadwal)
    wb = _workbook()
    headers = [
        _("NIP"), _("Nama"), _("Unit kerja"), _("Capaian sebelum (%)"), _("Capaian sesudah (%)"), _("Selisih"),
        _("Predikat sebelum"), _("Predikat sesudah"), _("Arah"),
    ]  # fmt: skip
    arah = {"NAIK": _("Naik"), "TETAP": _("Tetap"), "TURUN": _("Turun"), None: ""}
    ws = _sheet(
        wb,
        _("Perbandingan kinerja"),
        headers,
        (
            [
                r["peserta"].pegawai.nip,
                r["peserta"].pegawai.nama,
                r["peserta"].pegawai.unit.nama if r["peserta"].pegawai.unit else "",
                r["capaian_sebelum"],
                r["capaian_sesudah"],
                r["selisih"],
                r["predikat_sebelum_label"],
                r["predikat_sesudah_label"],
                arah[r["arah"]],
            ]
            for r in dampak.rows
        ),
    )
    for cell in ws["A"][1:]:
        cell.number_format = "@"  # an 18-digit NIP would lose digits as a number
    s = dampak.ringkasan
    _sheet(
        wb,
        _("Ringkasan"),
        [_("Ukuran"), _("Angka")],
        [
            [_("Pelatihan"), jadwal.pelatihan.nama],
            [_("Mulai"), jadwal.mulai],
            [_("Selesai"), jadwal.selesai],
            [_("Peserta hadir"), s["peserta"]],
            [_("Peserta dengan data capaian lengkap"), s["lengkap"]],
            [_("Rata-rata capaian sebelum (%)"), s["capaian_sebelum"]],
            [_("Rata-rata capaian sesudah (%)"), s["capaian_sesudah"]],
            [_("Predikat naik"), s["naik"]],
            [_("Predikat tetap"), s["tetap"]],
            [_("Predikat turun"), s["turun"]],
            [_("Tanpa data"), s["tanpa_data"]],
        ],
    )
    return xlsx_response(wb, f"dampak-pelatihan-{jadwal.pk}.xlsx")
