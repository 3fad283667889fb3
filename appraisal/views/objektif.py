"""The HR side of objective evidence (issue 10): the indicator catalogue, files of realisations
(dry-run, then apply), tokens for other government systems, the SKM pull and the objectivity report.

Every view starts with an access helper: ``require_admin_instansi`` (403 for anyone but the HR
admin of an instansi) or one of the ``get_*_for_admin`` below, which answer 404 for another
instansi's objects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from reports.exports import _sheet, _workbook, xlsx_response

from .. import selectors_objektif as selectors
from .. import services_objektif as services
from ..forms.objektif import (
    ImporRealisasiForm,
    KatalogFilterForm,
    KatalogForm,
    ObjektivitasForm,
    PeriodeForm,
    TokenForm,
    periode_label,
)
from ..models import ImporRealisasi, KatalogIndikator, PeriodeEvaluasi, StatusImpor, TokenSumber

PAGE_SIZE = 25
# The report shows every bad row and at most this many good ones (a file may have thousands).
GOOD_ROWS_SHOWN = 300
TEMPLATE_HEADERS = ["nip", "nilai", "periode", "keterangan"]

# --- Access (candidates for accounts/access.py) -------------------------------------------------------


def get_katalog_for_admin(request, pk: int) -> KatalogIndikator:
    instansi = access.require_admin_instansi(request)
    return get_object_or_404(KatalogIndikator, pk=pk, instansi=instansi)


def get_impor_realisasi_for_admin(request, pk: int) -> ImporRealisasi:
    instansi = access.require_admin_instansi(request)
    return get_object_or_404(
        ImporRealisasi.objects.select_related("katalog", "periode_evaluasi__periode_skp", "dibuat_oleh", "instansi"),
        pk=pk,
        instansi=instansi,
    )


def get_token_for_admin(request, pk: int) -> TokenSumber:
    instansi = access.require_admin_instansi(request)
    return get_object_or_404(TokenSumber.objects.select_related("unit_kerja", "instansi"), pk=pk, instansi=instansi)


def _errors_onto(form, exc: ValidationError) -> None:
    """A ValidationError from a service lands on the form instead of a 500."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Indicator catalogue (item 3) -----------------------------------------------------------------------


@login_required
def katalog_list(request):
    instansi = access.require_admin_instansi(request)
    kelompok = selectors.kelompok_choices(instansi=instansi)
    form = KatalogFilterForm(request.GET or None, kelompok=kelompok)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.katalog_list(
        instansi=instansi,
        q=(filters.get("q") or "").strip(),
        kelompok=filters.get("kelompok") or "",
        sumber=filters.get("sumber") or "",
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(filters.get(k) for k in ("q", "kelompok", "sumber"))
    return render(
        request,
        "appraisal/objektif/katalog_list.html",
        {"page": page, "form": form, "filtered": filtered, "empty_catalogue": not kelompok},
    )


def _katalog_form(request, instansi, katalog: KatalogIndikator, title: str):
    form = KatalogForm(
        request.POST or None,
        instance=katalog,
        taken_kodes=selectors.katalog_kodes(instansi=instansi, exclude_pk=katalog.pk),
        kelompok=selectors.kelompok_choices(instansi=instansi),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.katalog_save(katalog=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("Indikator “%(nama)s” disimpan.") % {"nama": saved.nama})
            return redirect("appraisal:katalog_list")
    return render(request, "appraisal/objektif/katalog_form.html", {"form": form, "title": title})


@login_required
def katalog_create(request):
    instansi = access.require_admin_instansi(request)
    return _katalog_form(request, instansi, KatalogIndikator(instansi=instansi), _("Indikator baru"))


@login_required
def katalog_edit(request, pk):
    katalog = get_katalog_for_admin(request, pk)
    return _katalog_form(request, katalog.instansi, katalog, _("Ubah indikator"))


# --- Realisations from a file (item 2) ----------------------------------------------------------------


@login_required
def impor_realisasi_list(request):
    instansi = access.require_admin_instansi(request)
    page = Paginator(selectors.impor_realisasi_list(instansi=instansi), PAGE_SIZE).get_page(request.GET.get("page"))
    periodes = selectors.periode_evaluasi_choices(instansi=instansi)
    skm_form = PeriodeForm(initial={"periode": _default_periode(periodes)}, periodes=periodes)
    return render(request, "appraisal/objektif/impor_list.html", {"page": page, "skm_form": skm_form})


@login_required
def impor_realisasi_create(request):
    instansi = access.require_admin_instansi(request)
    periodes = selectors.periode_evaluasi_choices(instansi=instansi)
    katalog = selectors.katalog_berkas_choices(instansi=instansi)
    initial = {"periode": _default_periode(periodes), "katalog": request.GET.get("katalog")}
    form = ImporRealisasiForm(
        request.POST or None, request.FILES or None, initial=initial, periodes=periodes, katalog=katalog
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        impor = services.realisasi_import_preview(
            instansi=instansi, periode=data["periode"], katalog=data["katalog"], upload=data["berkas"], by=request.user
        )
        return redirect("appraisal:impor_realisasi_detail", pk=impor.pk)
    context = {"form": form, "no_periode": not periodes, "no_katalog": not katalog}
    return render(request, "appraisal/objektif/impor_form.html", context)


@login_required
def impor_realisasi_detail(request, pk):
    impor = get_impor_realisasi_for_admin(request, pk)
    laporan = impor.laporan or {}
    rows = laporan.get("rows", [])
    bad = [r for r in rows if r.get("errors")]
    good = [r for r in rows if not r.get("errors")]
    file_error = laporan.get("file_error") or ""
    context = {
        "impor": impor,
        "periode": periode_label(impor.periode_evaluasi),
        "file_error": file_error,
        "bad_rows": bad,
        "good_rows": good[:GOOD_ROWS_SHOWN],
        "good_hidden": max(0, len(good) - GOOD_ROWS_SHOWN),
        "counts": laporan.get("counts", {}),
        "applied": impor.status == StatusImpor.DITERAPKAN,
        "can_apply": impor.status == StatusImpor.DRAF and not bad and not file_error and bool(good),
    }
    return render(request, "appraisal/objektif/impor_detail.html", context)


@login_required
@require_POST
def impor_realisasi_apply(request, pk):
    impor = get_impor_realisasi_for_admin(request, pk)
    try:
        impor = services.realisasi_import_apply(impor=impor, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        counts = (impor.laporan or {}).get("counts", {})
        messages.success(
            request,
            _("Impor diterapkan: %(baru)d realisasi baru, %(ubah)d diubah, %(tetap)d tidak berubah.")
            % {"baru": counts.get("create", 0), "ubah": counts.get("update", 0), "tetap": counts.get("unchanged", 0)},
        )
    return redirect("appraisal:impor_realisasi_detail", pk=impor.pk)


@login_required
def impor_realisasi_templat(request):
    access.require_admin_instansi(request)
    body = ",".join(TEMPLATE_HEADERS) + "\r\n" + "199001012015031001,120,TRIWULAN I 2026,\r\n"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-impor-realisasi.csv"'
    return response


# --- Realisations from the SKM -------------------------------------------------------------------------


@login_required
@require_POST
def skm_tarik(request):
    instansi = access.require_admin_instansi(request)
    form = PeriodeForm(request.POST, periodes=selectors.periode_evaluasi_choices(instansi=instansi))
    if not form.is_valid():
        messages.error(request, _("Pilih periode evaluasi instansi ini."))
        return redirect("appraisal:impor_realisasi_list")
    from ..tasks import realisasi_skm_task

    periode = form.cleaned_data["periode"]
    dispatched = {}
    transaction.on_commit(lambda: dispatched.update(result=realisasi_skm_task.delay(instansi.pk, periode.pk)))
    result = dispatched.get("result")
    label = periode_label(periode)
    if result is not None and result.ready() and result.successful():
        terisi = result.result.get("terisi", 0)
        if terisi:
            messages.success(
                request,
                _("%(n)d nilai realisasi bersumber SKM terisi untuk %(periode)s.") % {"n": terisi, "periode": label},
            )
        else:
            messages.info(
                request,
                _("Tidak ada nilai yang terisi untuk %(periode)s: belum ada IKI bersumber SKM atau belum ada respons.")
                % {"periode": label},
            )
    else:
        messages.info(
            request, _("Penarikan nilai SKM untuk %(periode)s sedang berjalan di latar belakang.") % {"periode": label}
        )
    return redirect("appraisal:impor_realisasi_list")


def _default_periode(periodes: list[PeriodeEvaluasi]) -> int | None:
    """The periodic period running today, else the latest that has started, else the first."""
    today = timezone.localdate()
    periodic = [p for p in periodes if not p.is_tahunan]
    for p in periodic:
        if p.mulai <= today <= p.selesai:
            return p.pk
    started = [p for p in periodic if p.mulai <= today]
    if started:
        return max(started, key=lambda p: p.mulai).pk
    return periodes[0].pk if periodes else None


# --- Tokens for other systems ------------------------------------------------------------------------------


@login_required
def token_list(request):
    instansi = access.require_admin_instansi(request)
    page = Paginator(selectors.token_list(instansi=instansi), PAGE_SIZE).get_page(request.GET.get("page"))
    endpoint = request.build_absolute_uri("/api/v1/realisasi/")
    contoh_tahun = timezone.localdate().year
    return render(
        request, "appraisal/objektif/token_list.html", {"page": page, "endpoint": endpoint, "tahun": contoh_tahun}
    )


@login_required
def token_create(request):
    instansi = access.require_admin_instansi(request)
    form = TokenForm(request.POST or None, units=selectors.unit_choices(instansi=instansi))
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(
                unit_kerja=form.cleaned_data["unit_kerja"],
                nama_sistem=form.cleaned_data["nama_sistem"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            # The raw token is shown on this response only: never stored, never redirected through the session.
            response = render(request, "appraisal/objektif/token_created.html", {"token": token, "raw": raw})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "appraisal/objektif/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_token_for_admin(request, pk)
    if token.aktif:
        services.token_revoke(token=token, by=request.user)
        messages.success(
            request, _("Token %(nama)s dicabut; sistem itu tidak dapat lagi mengirim nilai.") % {"nama": token}
        )
    else:
        messages.info(request, _("Token ini sudah dicabut sebelumnya."))
    return redirect("appraisal:token_list")


# --- Objectivity report (item 4) ------------------------------------------------------------------------


def _report(request, instansi):
    periodes = selectors.periode_evaluasi_choices(instansi=instansi)
    units = selectors.unit_choices(instansi=instansi)
    form = ObjektivitasForm(request.GET or None, periodes=periodes, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    periode = form.periodes.get(data.get("periode") or _default_periode(periodes))
    unit = form.units.get(data.get("unit"))
    if not data.get("periode"):  # show the period the report is for, not an empty or bad choice
        initial = {"periode": periode.pk if periode else None, "unit": unit.pk if unit else None}
        form = ObjektivitasForm(initial=initial, periodes=periodes, units=units)
    report = selectors.objektivitas(instansi=instansi, periode=periode, unit=unit) if periode else None
    return form, periode, unit, report


@login_required
def objektivitas(request):
    instansi = access.require_admin_instansi(request)
    form, periode, unit, report = _report(request, instansi)
    context = {"form": form, "periode": periode, "unit": unit, "report": report}
    context["periode_label"] = periode_label(periode) if periode else ""
    return render(request, "appraisal/objektif/objektivitas.html", context)


@login_required
def objektivitas_xlsx(request):
    instansi = access.require_admin_instansi(request)
    _form, periode, _unit, report = _report(request, instansi)
    wb = _workbook()
    headers = [
        _("Unit kerja"),
        _("Jumlah IKI"),
        _("IKI bersumber data"),
        _("IKI dilaporkan sendiri"),
        _("IKI deskriptif"),
        _("IKI bersumber (%)"),
        _("Jumlah realisasi"),
        _("Realisasi bersumber data"),
        _("Realisasi terverifikasi atasan"),
        _("Realisasi objektif (%)"),
    ]
    rows = []
    if report is not None:
        for r in [*report.rows, report.total]:
            rows.append(
                [
                    r.label or _("Jumlah"),
                    r.iki,
                    r.iki_bersumber,
                    r.iki_sendiri,
                    r.iki_deskriptif,
                    float(r.persen_iki_bersumber) if r.persen_iki_bersumber is not None else None,
                    r.realisasi,
                    r.realisasi_bersumber,
                    r.realisasi_terverifikasi,
                    float(r.persen_realisasi_objektif) if r.persen_realisasi_objektif is not None else None,
                ]
            )
    _sheet(wb, _("Objektivitas"), headers, rows)
    stamp = f"{periode.periode_skp.tahun}-{periode.jenis.lower()}-{periode.ke}" if periode else "kosong"
    return xlsx_response(wb, f"objektivitas-{stamp}-{timezone.localdate():%Y%m%d}.xlsx")
