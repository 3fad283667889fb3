"""HR's period-score screen: run the recompute now, watch its progress, read the results per unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from appraisal.models import PeriodeEvaluasi

from . import services
from .models import JobRun


def _periods(instansi):
    return list(
        PeriodeEvaluasi.objects.filter(periode_skp__instansi=instansi)
        .select_related("periode_skp")
        .order_by("-periode_skp__tahun", "jenis", "ke")
    )


def _chosen(periods, raw):
    return next((p for p in periods if str(p.pk) == str(raw)), periods[0] if periods else None)


@login_required
def scores(request):
    instansi = access.require_admin_instansi(request)
    periods = _periods(instansi)
    periode = _chosen(periods, request.GET.get("periode"))
    context = {
        "periods": periods,
        "periode": periode,
        "runs": JobRun.objects.filter(instansi=instansi, jenis="period_scores")[:5],
        "summary": services.unit_summary(instansi_id=instansi.pk, periode_evaluasi_id=periode.pk) if periode else [],
    }
    return render(request, "reports/scores.html", context)


@login_required
@require_POST
def scores_run(request):
    instansi = access.require_admin_instansi(request)
    periode = _chosen(_periods(instansi), request.POST.get("periode"))
    if periode is None or str(periode.pk) != request.POST.get("periode"):
        raise Http404
    run = services.scores_run_start(instansi=instansi, periode_evaluasi=periode, by=request.user)
    messages.info(request, _("Perhitungan ulang dimulai."))
    return redirect("reports:run_detail", pk=run.pk)


@login_required
def run_detail(request, pk):
    instansi = access.require_admin_instansi(request)
    try:
        run = JobRun.objects.get(pk=pk, instansi=instansi)
    except JobRun.DoesNotExist:
        raise Http404 from None
    template = "reports/_run_progress.html" if request.htmx else "reports/run_detail.html"
    return render(request, template, {"run": run})
