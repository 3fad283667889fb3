"""The 360° feedback screens (issue 4 item 6): the pejabat penilai — or the employee, whose
choices then wait for the pejabat penilai's approval — invites at least three peers or
subordinates; each invited rater answers the seven BerAKHLAK values once, anonymously; the
aggregate shows only once at least three have answered.

Anonymity is kept on every screen: the invitation list says who has answered, never what; the
answers carry no link to the rater (Jawaban360); the results are averages and comments in
alphabetical order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access

from .. import selectors_keberatan as selectors
from .. import services_evaluasi as services
from ..forms.keberatan import Jawaban360Form, UndanganForm
from ..models import SKP, PeriodeEvaluasi
from .keberatan import _save_or_errors


def _periode_of(skp: SKP, periode_pk: int) -> PeriodeEvaluasi:
    """An evaluation period of the SKP's year, else 404."""
    return get_object_or_404(
        PeriodeEvaluasi.objects.select_related("periode_skp"), pk=periode_pk, periode_skp_id=skp.periode_id
    )


def _require_penilai_or_owner(request, skp: SKP) -> None:
    me = access.roles_of(request).pegawai_id
    if me is None or me not in (skp.pegawai_id, skp.pejabat_penilai_id):
        raise PermissionDenied


# --- Invitations --------------------------------------------------------------------------------------


@login_required
def undangan_360(request, skp_pk, periode_pk):
    skp = access.get_skp_for(request, skp_pk)
    _require_penilai_or_owner(request, skp)
    periode = _periode_of(skp, periode_pk)
    candidates = selectors.undangan_360_candidates(skp=skp)
    form = UndanganForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = [p for p in candidates if p.pk in set(form.cleaned_data["penilai"])]
        if _save_or_errors(
            form, services.undangan_360_create, skp=skp, periode=periode, penilai=chosen, by=request.user
        ):
            if request.user.pegawai_id == skp.pejabat_penilai_id:
                messages.success(request, _("Undangan 360° dikirim. Penilai dapat mengisinya dari menu Tugas 360°."))
            else:
                messages.success(request, _("Usulan penilai 360° disimpan dan menunggu persetujuan pejabat penilai."))
            return redirect("appraisal:undangan_360", skp.pk, periode.pk)
    context = selectors.undangan_360_page(skp=skp, periode=periode, candidates=candidates)
    return render(
        request,
        "appraisal/survei360/undangan.html",
        {
            **context,
            "skp": skp,
            "periode": periode,
            "form": form,
            "ticked": form.ticked,
            "is_penilai": request.user.pegawai_id == skp.pejabat_penilai_id,
        },
    )


@login_required
@require_POST
def undangan_360_approve(request, skp_pk, periode_pk):
    skp = access.get_skp_for(request, skp_pk)
    access.require_skp_penilai(request, skp)
    periode = _periode_of(skp, periode_pk)
    n = services.undangan_360_approve(skp=skp, periode=periode, by=request.user)
    messages.success(request, _("%(n)s undangan 360° disetujui.") % {"n": n})
    return redirect("appraisal:undangan_360", skp.pk, periode.pk)


# --- Answering ----------------------------------------------------------------------------------------


@login_required
def jawaban_360(request, undangan_pk):
    undangan = access.get_undangan_for(request, undangan_pk)
    values = selectors.core_values_with_panduan()
    form = Jawaban360Form(request.POST or None, values=values)
    if request.method == "POST":
        if undangan.selesai:  # the service refuses too; there is no form left to correct
            try:
                services.jawaban_360_submit(undangan=undangan, skor={}, komentar={}, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("appraisal:jawaban_360", undangan.pk)
        if form.is_valid() and _save_or_errors(
            form,
            services.jawaban_360_submit,
            undangan=undangan,
            skor=form.skor(),
            komentar=form.komentar(),
            by=request.user,
        ):
            messages.success(
                request,
                _(
                    "Terima kasih. Jawaban Anda tersimpan secara anonim: tidak ada yang dapat melihat siapa "
                    "memberi nilai apa, dan hasilnya hanya ditampilkan sebagai rata-rata setelah paling sedikit "
                    "tiga penilai mengisi."
                ),
            )
            return redirect("appraisal:tugas_360")
    return render(
        request,
        "appraisal/survei360/jawaban.html",
        {"undangan": undangan, "skp": undangan.skp, "form": form, "sections": form.sections()},
    )


@login_required
def tugas_360(request):
    context = selectors.tugas_360(pegawai_id=access.roles_of(request).pegawai_id)
    return render(request, "appraisal/survei360/tugas.html", context)


# --- Results -------------------------------------------------------------------------------------------


@login_required
def hasil_360(request, skp_pk, periode_pk):
    skp = access.get_skp_for(request, skp_pk)
    _require_penilai_or_owner(request, skp)
    periode = _periode_of(skp, periode_pk)
    hasil = selectors.hasil_360_summary(skp=skp, periode=periode)
    return render(
        request,
        "appraisal/survei360/hasil.html",
        {
            "skp": skp,
            "periode": periode,
            "hasil": hasil,
            "is_penilai": request.user.pegawai_id == skp.pejabat_penilai_id,
        },
    )
