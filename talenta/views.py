"""Talent screens: the 9-box and the recommendation lists for HR, the team view for
supervisors, and each employee's own box."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import UnitKerja
from reports.models import JobRun

from . import selectors, selectors_pembinaan, services
from .forms import FilterForm
from .models import JenisRekomendasi


def _filters(request, instansi, data) -> dict:
    """Validated filters; an unknown or foreign unit is a 404, a malformed value is ignored."""
    form = FilterForm(data)
    form.is_valid()
    clean = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    years = selectors.years_for(instansi)
    tahun = clean.get("tahun") or years[0]
    unit = None
    if clean.get("unit"):
        try:
            unit = UnitKerja.objects.get(pk=clean["unit"], instansi=instansi)
        except UnitKerja.DoesNotExist:
            raise Http404 from None
    return {
        "years": years if tahun in years else sorted({*years, tahun}, reverse=True),
        "tahun": tahun,
        "unit": unit,
        "units": list(UnitKerja.objects.filter(instansi=instansi).only("pk", "nama", "depth")),
        "jenis": clean.get("jenis") or "",
        "kotak": clean.get("kotak"),
    }


@login_required
def grid(request):
    instansi = access.require_admin_instansi(request)
    f = _filters(request, instansi, request.GET)
    context = {
        **f,
        "grid": selectors.grid_for(instansi=instansi, tahun=f["tahun"], unit=f["unit"]),
        "runs": JobRun.objects.filter(instansi=instansi, jenis=services.JOB_JENIS)[:3],
    }
    if f["kotak"]:
        context["members"] = selectors.box_members(
            instansi=instansi, tahun=f["tahun"], unit=f["unit"], kotak=f["kotak"], page=request.GET.get("page")
        )
    return render(request, "talenta/grid.html", context)


@login_required
@require_POST
def hitung(request):
    instansi = access.require_admin_instansi(request)
    f = _filters(request, instansi, request.POST)
    services.talenta_run_start(instansi=instansi, tahun=f["tahun"], by=request.user)
    messages.info(request, _("Perhitungan talenta tahun %(tahun)s dimulai.") % {"tahun": f["tahun"]})
    back = "talenta:rekomendasi" if request.POST.get("kembali") == "rekomendasi" else "talenta:grid"
    return redirect(f"{reverse(back)}?tahun={f['tahun']}")


@login_required
def rekomendasi(request):
    instansi = access.require_admin_instansi(request)
    f = _filters(request, instansi, request.GET)
    page = selectors.rekomendasi_page(
        instansi=instansi, tahun=f["tahun"], unit=f["unit"], jenis=f["jenis"], page=request.GET.get("page")
    )
    context = {**f, "page": page, "jenis_choices": JenisRekomendasi.choices, "query": request.GET.urlencode()}
    return render(request, "talenta/rekomendasi.html", context)


@login_required
def rekomendasi_export(request):
    """The filtered recommendation list as an Excel workbook with Indonesian headers."""
    from openpyxl import Workbook

    instansi = access.require_admin_instansi(request)
    f = _filters(request, instansi, request.GET)
    rows = selectors.rekomendasi_for_instansi(instansi=instansi, tahun=f["tahun"], unit=f["unit"], jenis=f["jenis"])
    wb = Workbook()
    ws = wb.active
    ws.title = _("Rekomendasi")
    ws.append([_("Tahun"), _("NIP"), _("Nama"), _("Unit kerja"), _("Jenis rekomendasi"), _("Alasan")])
    for rec in rows:
        ws.append(
            [
                rec.tahun,
                rec.pegawai.nip,
                rec.pegawai.nama,
                rec.unit.nama if rec.unit else "",
                rec.get_jenis_display(),
                rec.alasan,
            ]
        )
    buffer = BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="rekomendasi-talenta-{f["tahun"]}.xlsx"'
    return response


@login_required
def tim(request):
    """A supervisor's team: the recommendations of the employees they appraise; 403 for others."""
    roles = access.roles_of(request)
    if not roles.is_supervisor:
        raise PermissionDenied
    years = sorted({*selectors.years_for(request.user.pegawai.instansi)}, reverse=True)
    form = FilterForm(request.GET)
    tahun = (form.cleaned_data.get("tahun") if form.is_valid() else None) or years[0]
    context = {
        "years": years,
        "tahun": tahun,
        "rekomendasi": selectors.rekomendasi_for_team(pejabat_penilai_id=roles.pegawai_id, tahun=tahun),
        "rencana_tim": selectors_pembinaan.team_rencana(pejabat_penilai_id=roles.pegawai_id, tahun=tahun),
    }
    return render(request, "talenta/tim.html", context)


@login_required
def saya(request):
    """The employee's own boxes and recommendations, and their development plan with the JP of
    this year against the 20 JP duty; 403 for a login without an employee record."""
    pegawai_id = access.roles_of(request).pegawai_id
    if pegawai_id is None:
        raise PermissionDenied
    context = {
        "items": selectors.own_talenta(pegawai_id=pegawai_id),
        "rencana": selectors_pembinaan.own_rencana(pegawai_id=pegawai_id, tahun=timezone.localdate().year),
    }
    return render(request, "talenta/saya.html", context)
