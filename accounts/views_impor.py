"""The HR admin's imports of units, jabatan and employees: list, upload with dry-run, apply, templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, imports
from .forms import ImporForm
from .models import JenisImpor, StatusImpor

PAGE_SIZE = 25
# The report page shows every bad row and at most this many good ones (a file may have 50 000).
GOOD_ROWS_SHOWN = 300
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def impor_list(request):
    instansi = access.require_admin_instansi(request)
    page = Paginator(imports.impor_list(instansi=instansi), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/impor_list.html", {"page": page})


@login_required
def impor_create(request):
    instansi = access.require_admin_instansi(request)
    form = ImporForm(request.POST or None, request.FILES or None, initial={"jenis": request.GET.get("jenis")})
    if request.method == "POST" and form.is_valid():
        try:
            impor = imports.impor_create(
                instansi=instansi, jenis=form.cleaned_data["jenis"], upload=form.cleaned_data["berkas"], by=request.user
            )
        except imports.TableError as exc:
            form.add_error("berkas", str(exc))
        else:
            return redirect("accounts:impor_detail", pk=impor.pk)
    templates = [(value, label, value.lower()) for value, label in JenisImpor.choices]
    return render(request, "accounts/impor_form.html", {"form": form, "templates": templates})


@login_required
def impor_detail(request, pk):
    impor = access.get_impor_for_admin(request, pk)
    laporan = impor.laporan or {}
    rows = laporan.get("rows", [])
    bad = [r for r in rows if r["errors"]]
    good = [r for r in rows if not r["errors"]]
    counts = laporan.get("counts", {})
    changes = counts.get(imports.CREATE, 0) + counts.get(imports.UPDATE, 0)
    context = {
        "impor": impor,
        "file_error": laporan.get("file_error", ""),
        "bad_rows": bad,
        "good_rows": good[:GOOD_ROWS_SHOWN],
        "good_hidden": max(0, len(good) - GOOD_ROWS_SHOWN),
        "counts": counts,
        "changes": changes,
        "can_apply": impor.status == StatusImpor.DRAF and not impor.jumlah_salah and changes > 0,
        "previous": imports.previous_application(impor=impor) if impor.status == StatusImpor.DRAF else None,
    }
    return render(request, "accounts/impor_detail.html", context)


@login_required
@require_POST
def impor_apply(request, pk):
    impor = access.get_impor_for_admin(request, pk)
    outcome = imports.impor_apply(impor=impor, by=request.user)
    if outcome == imports.APPLIED:
        counts = impor.counts
        messages.success(
            request,
            _("Impor diterapkan: %(baru)d baru, %(ubah)d diubah, %(tetap)d tidak berubah.")
            % {"baru": counts.get("create", 0), "ubah": counts.get("update", 0), "tetap": counts.get("unchanged", 0)},
        )
    elif outcome == imports.ALREADY_APPLIED:
        messages.info(request, _("Impor ini sudah diterapkan sebelumnya; tidak ada yang diubah."))
    elif outcome == imports.NOTHING_TO_DO:
        messages.info(request, _("Tidak ada perubahan: semua baris sama dengan data yang tersimpan."))
    elif outcome == imports.HAS_ERRORS:
        messages.error(
            request, _("Impor tidak diterapkan karena ada baris yang bermasalah; tidak ada data yang diubah.")
        )
    else:
        messages.error(request, _("Impor gagal diterapkan; tidak ada data yang diubah. Coba lagi atau hubungi admin."))
    return redirect("accounts:impor_detail", pk=impor.pk)


@login_required
def impor_template(request, jenis):
    access.require_admin_instansi(request)
    kind = jenis.upper()
    if kind not in imports.IMPORTERS:
        raise Http404
    response = HttpResponse(imports.template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="templat-impor-{jenis.lower()}.xlsx"'
    return response
