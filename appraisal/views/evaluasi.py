"""The evaluation screens (issue 4): the employee's realisation page with evidence and the final
result, the evidence download, the dialog kinerja, the supervisor's evaluation screen with the
distribution panel, the supervisor's team list, and the Capaian Kinerja Organisasi page.

Every view first fetches the SKP through accounts.access (404 outside reach), then checks the
role (403), then calls one service (which checks again) or one selector. Per-IKI forms answer
htmx with the IKI's block; without JavaScript the same URLs post and redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.models import Pegawai, UnitKerja

from .. import rules, services_objektif
from .. import selectors_evaluasi as selectors
from .. import services_evaluasi as ev
from ..forms.evaluasi import BuktiForm, CapaianForm, DialogForm, EvaluasiForm, RealisasiForm, VerifikasiForm
from ..forms.penilaian_diri import PenilaianDiriForm
from ..models import IKI, RHK, SKP, CoreValue, DialogKinerja, Evaluasi, PeriodeEvaluasi, PeriodeSKP, Realisasi
from ..selectors import open_periode


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _save_or_errors(form, service, **kwargs):
    """Call a service; a ValidationError it raises lands on the form instead of a 500.
    Returns the service's result, or None when it refused."""
    try:
        return service(**kwargs) or True
    except ValidationError as exc:
        _add_errors(form, exc)
        return None


MAX_BUKTI_MB = rules.MAX_BUKTI_BYTES // (1024 * 1024)


def _me(request) -> int | None:
    return access.roles_of(request).pegawai_id


def _url(name: str, skp: SKP, periode: PeriodeEvaluasi, anchor: str = "") -> str:
    url = reverse(f"appraisal:{name}", args=[skp.pk, periode.pk])
    return f"{url}#{anchor}" if anchor else url


# --- The employee's realisation page (issue 4 items 1 and 7) -------------------------------------------


@login_required
def realisasi_start(request, skp_pk):
    """The realisation page of the period running today (the SKP page links here)."""
    skp = access.get_skp_for(request, skp_pk)
    periode = selectors.current_periode(selectors.periods_of(skp))
    if periode is None:
        raise Http404
    return redirect("appraisal:realisasi", skp.pk, periode.pk)


def _attach_forms(request, context: dict, *, bound: dict | None = None) -> dict:
    """The owner of an approved SKP gets a realisation form and an evidence form per IKI (the
    bound one where a post failed, so nothing typed is lost)."""
    skp = context["skp"]
    bound = bound or {}
    context["is_owner"] = _me(request) == skp.pegawai_id
    context["is_penilai"] = _me(request) is not None and _me(request) == skp.pejabat_penilai_id
    context["can_write"] = context["is_owner"] and not context["locked"]
    context["max_bukti_mb"] = MAX_BUKTI_MB
    if context["can_write"]:
        kualitatif = skp.pendekatan == "KUALITATIF"
        for row in context["rows"]:
            for item in row.iki:
                _forms_for(item, kualitatif=kualitatif, bound=bound.get(item.iki.pk, {}))
    return context


def _forms_for(item: selectors.IKIRow, *, kualitatif: bool, bound: dict) -> None:
    if not item.is_sourced:
        item.form = bound.get("form") or RealisasiForm(
            iki=item.iki, kualitatif=kualitatif, initial=RealisasiForm.initial_for(item.realisasi)
        )
    if item.realisasi is not None:
        item.bukti_form = bound.get("bukti_form") or BuktiForm(iki=item.iki)
    item.message = bound.get("message", "")
    item.bukti_message = bound.get("bukti_message", "")


@login_required
def realisasi(request, skp_pk, periode_pk):
    skp = access.get_skp_for(request, skp_pk)
    periode = selectors.periode_of(skp, periode_pk)
    context = _attach_forms(request, selectors.realisasi_page(skp=skp, periode=periode))
    return render(request, "appraisal/evaluasi/realisasi.html", context)


def _owned_iki(request, skp_pk, periode_pk, iki_pk) -> tuple[SKP, PeriodeEvaluasi, IKI]:
    skp = access.get_skp_for(request, skp_pk)
    access.require_skp_owner(request, skp)
    periode = selectors.periode_of(skp, periode_pk)
    iki = get_object_or_404(IKI.objects.select_related("rhk"), pk=iki_pk, rhk__skp=skp)
    iki.rhk.skp = skp
    return skp, periode, iki


def _iki_response(request, skp, periode, iki, *, partial: str, anchor: str, ok: bool, **bound):
    """After a realisation or evidence post: htmx gets the IKI's block (with the bound form and its
    errors when refused); a plain post is redirected on success, or gets the whole page with the
    bound form when refused."""
    if request.htmx:
        item = selectors.iki_row(skp=skp, periode=periode, iki=iki)
        _forms_for(item, kualitatif=skp.pendekatan == "KUALITATIF", bound=bound)
        context = {"skp": skp, "periode": periode, "item": item, "can_write": True, "max_bukti_mb": MAX_BUKTI_MB}
        return render(request, partial, context)
    if ok:
        messages.success(request, bound.get("message") or bound.get("bukti_message", ""))
        return redirect(_url("realisasi", skp, periode, anchor))
    context = _attach_forms(request, selectors.realisasi_page(skp=skp, periode=periode), bound={iki.pk: bound})
    return render(request, "appraisal/evaluasi/realisasi.html", context)


@login_required
@require_POST
def realisasi_save(request, skp_pk, periode_pk, iki_pk):
    skp, periode, iki = _owned_iki(request, skp_pk, periode_pk, iki_pk)
    form = RealisasiForm(request.POST, iki=iki, kualitatif=skp.pendekatan == "KUALITATIF")
    ok = form.is_valid() and _save_or_errors(
        form, ev.realisasi_save, iki=iki, periode=periode, by=request.user, **form.service_kwargs()
    )
    return _iki_response(
        request,
        skp,
        periode,
        iki,
        partial="appraisal/evaluasi/_iki_realisasi.html",
        anchor=f"iki-{iki.pk}",
        ok=bool(ok),
        form=None if ok else form,
        message=_("Realisasi disimpan.") if ok else "",
    )


@login_required
@require_POST
def bukti_add(request, skp_pk, periode_pk, iki_pk):
    skp, periode, iki = _owned_iki(request, skp_pk, periode_pk, iki_pk)
    form = BuktiForm(request.POST, request.FILES, iki=iki)
    realisasi = Realisasi.objects.filter(iki=iki, periode_evaluasi=periode).select_related("periode_evaluasi").first()
    ok = None
    if realisasi is None:
        form.add_error(None, _("Simpan realisasi IKI ini terlebih dahulu, lalu tambahkan bukti dukung."))
    elif form.is_valid():
        realisasi.iki = iki
        ok = _save_or_errors(
            form,
            ev.bukti_add,
            realisasi=realisasi,
            by=request.user,
            berkas=form.cleaned_data.get("berkas"),
            tautan=form.cleaned_data.get("tautan") or "",
        )
    return _iki_response(
        request,
        skp,
        periode,
        iki,
        partial="appraisal/evaluasi/_bukti.html",
        anchor=f"bukti-{iki.pk}",
        ok=bool(ok),
        bukti_form=None if ok else form,
        bukti_message=_("Bukti dukung ditambahkan.") if ok else "",
    )


@login_required
@require_GET
def bukti_download(request, pk):
    """An evidence file, to anyone who may see its SKP; as an attachment, never rendered inline."""
    bukti = access.get_bukti_for(request, pk)
    if not bukti.berkas:
        raise Http404
    try:
        handle = bukti.berkas.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=bukti.nama or "bukti-dukung",
        content_type=bukti.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evaluasi_acknowledge(request, skp_pk, periode_pk):
    """The employee records receiving the final result."""
    skp = access.get_skp_for(request, skp_pk)
    access.require_skp_owner(request, skp)
    periode = selectors.periode_of(skp, periode_pk)
    evaluasi = get_object_or_404(Evaluasi, skp=skp, periode_evaluasi=periode)
    evaluasi.skp = skp
    try:
        ev.evaluasi_acknowledge(evaluasi=evaluasi, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Terima kasih. Penerimaan hasil evaluasi dicatat."))
    return redirect(_url("realisasi", skp, periode, "hasil"))


# --- The self-assessment (issue 10 item 1) -------------------------------------------------------------


@login_required
def penilaian_diri(request, skp_pk, periode_pk):
    """The employee rates their own results per RHK and behaviour per BerAKHLAK value before the
    supervisor evaluates: "Simpan draf" keeps it, "Kirim" sends it (then frozen). The pejabat
    penilai reads a sent one; nobody else sees it (404: it is between the two of them)."""
    skp = access.get_skp_for(request, skp_pk)
    is_owner = _me(request) == skp.pegawai_id
    is_penilai = _me(request) is not None and _me(request) == skp.pejabat_penilai_id
    if not (is_owner or is_penilai):
        raise Http404
    if request.method == "POST" and not is_owner:
        raise PermissionDenied
    periode = selectors.periode_of(skp, periode_pk)
    context = selectors.penilaian_diri_page(skp=skp, periode=periode, is_owner=is_owner)
    context.update(is_owner=is_owner, is_penilai=is_penilai, editable=is_owner and not context["locked"])
    form = None
    if context["editable"]:
        ids = {
            "rhk_ids": [r.rhk.pk for r in context["rows"]],
            "core_value_ids": [v["core_value"].pk for v in context["values"]],
        }
        if request.method == "POST":
            form = PenilaianDiriForm(request.POST, **ids)
            kirim = request.POST.get("action") == "kirim"
            if form.is_valid() and _save_or_errors(
                form,
                services_objektif.penilaian_diri_save,
                skp=skp,
                periode=periode,
                by=request.user,
                kirim=kirim,
                **form.service_kwargs(),
            ):
                done = (
                    _("Penilaian diri dikirim kepada pejabat penilai.") if kirim else _("Draf penilaian diri disimpan.")
                )
                messages.success(request, done)
                return redirect(_url("penilaian_diri", skp, periode))
        else:
            form = PenilaianDiriForm(
                initial=PenilaianDiriForm.initial_for(
                    context["penilaian_diri"] and context["penilaian_diri"].penilaian
                ),
                **ids,
            )
        for row in context["rows"]:
            row.rating_field = form[f"rhk_{row.rhk.pk}"]
        for value in context["values"]:
            value["field"] = form[f"cv_{value['core_value'].pk}"]
    elif request.method == "POST":
        messages.error(request, context["locked"])
        return redirect(_url("penilaian_diri", skp, periode))
    context["form"] = form
    return render(request, "appraisal/penilaian_diri.html", context)


# --- Dialog kinerja (issue 4 item 2) -------------------------------------------------------------------


@login_required
def dialog(request, skp_pk):
    """The feedback history on the SKP; the pejabat penilai adds to it."""
    skp = access.get_skp_for(request, skp_pk)
    if request.method == "POST":
        access.require_skp_penilai(request, skp)
    context = selectors.dialog_page(skp=skp)
    context["is_owner"] = _me(request) == skp.pegawai_id
    context["is_penilai"] = _me(request) is not None and _me(request) == skp.pejabat_penilai_id
    if context["is_penilai"]:
        form = DialogForm(
            request.POST if request.method == "POST" else None, rhk=context["rhk"], core_values=context["core_values"]
        )
        if request.method == "POST" and form.is_valid():
            if _save_or_errors(form, ev.dialog_add, skp=skp, by=request.user, **form.service_kwargs()):
                messages.success(request, _("Umpan balik dicatat. Pegawai dapat membacanya di halaman ini."))
                return redirect("appraisal:dialog", skp.pk)
        context["form"] = form
    return render(request, "appraisal/evaluasi/dialog.html", context)


@login_required
@require_POST
def dialog_acknowledge(request, skp_pk, pk):
    skp = access.get_skp_for(request, skp_pk)
    access.require_skp_owner(request, skp)
    item = get_object_or_404(DialogKinerja.objects.select_related("rhk", "core_value", "oleh"), pk=pk, skp=skp)
    item.skp = skp
    ev.dialog_acknowledge(dialog=item, by=request.user)
    if request.htmx:
        unread = DialogKinerja.objects.filter(skp=skp, diakui_pada__isnull=True).count()
        context = {"d": item, "is_owner": True, "unread": unread, "oob": True}
        return render(request, "appraisal/evaluasi/_dialog_item.html", context)
    messages.success(request, _("Umpan balik ditandai sudah dibaca."))
    return redirect(reverse("appraisal:dialog", args=[skp.pk]) + f"#dialog-{item.pk}")


# --- The supervisor's evaluation screen (issue 4 items 3–5, 8) -------------------------------------------


def _form_targets(skp: SKP) -> tuple[list[int], list[int]]:
    """The RHK and core values the evaluation form has a feedback field for."""
    rhk_ids = list(RHK.objects.filter(skp=skp).order_by("jenis", "urutan", "pk").values_list("pk", flat=True))
    return rhk_ids, list(CoreValue.objects.order_by("urutan").values_list("pk", flat=True))


def _evaluasi_form(skp: SKP, evaluasi: Evaluasi, context: dict, data=None) -> EvaluasiForm:
    rows, perilaku = context["rows"], context["perilaku"]
    initial = None
    if data is None:
        initial = EvaluasiForm.initial_for(
            evaluasi,
            {r.rhk.pk: r.umpan_balik for r in rows},
            {p["core_value"].pk: p["umpan_balik"] for p in perilaku},
            {r.rhk.pk: r.penilaian for r in rows},
            {p["core_value"].pk: p["penilaian"] for p in perilaku},
        )
    return EvaluasiForm(
        data,
        initial=initial,
        rhk_ids=[r.rhk.pk for r in rows],
        core_value_ids=[p["core_value"].pk for p in perilaku],
        pp30=skp.instansi.mode_numerik_pp30,
    )


def _render_evaluasi(request, evaluasi: Evaluasi, *, editable: bool, form=None, **extra):
    is_penilai = _me(request) is not None and _me(request) == evaluasi.skp.pejabat_penilai_id
    is_owner = _me(request) == evaluasi.skp.pegawai_id
    context = selectors.evaluasi_page(evaluasi=evaluasi, with_distribution=not is_owner)
    context.update(is_penilai=is_penilai, is_owner=is_owner, editable=editable, **extra)
    if editable:
        form = form or _evaluasi_form(context["skp"], evaluasi, context)
        context["form"] = form
        for row in context["rows"]:
            row.field = form[f"ub_rhk_{row.rhk.pk}"]
            row.rating_field = form[f"pn_rhk_{row.rhk.pk}"]
        for p in context["perilaku"]:
            p["field"] = form[f"ub_cv_{p['core_value'].pk}"]
            p["rating_field"] = form[f"pn_cv_{p['core_value'].pk}"]
        context["justifikasi"] = form["justifikasi"].value() or ""
        context["justifikasi_error"] = " ".join(form.errors.get("justifikasi", [])) if form.is_bound else ""
    return render(request, "appraisal/evaluasi/evaluasi.html", context)


@login_required
def evaluasi(request, skp_pk, periode_pk):
    """GET by the pejabat penilai opens (creates) the evaluation; others who may see the SKP get
    a read-only view of an existing one (the employee: once final). POST saves the draft, asks for
    confirmation (without JavaScript) or finalises."""
    skp = access.get_skp_for(request, skp_pk)
    periode = selectors.periode_of(skp, periode_pk)
    is_penilai = _me(request) is not None and _me(request) == skp.pejabat_penilai_id
    if request.method == "POST":
        access.require_skp_penilai(request, skp)
    if is_penilai:
        try:
            evaluasi = ev.evaluasi_open(skp=skp, periode=periode, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("appraisal:skp_detail", skp.pk)
    else:
        evaluasi = get_object_or_404(Evaluasi, skp=skp, periode_evaluasi=periode)
        if _me(request) == skp.pegawai_id and not evaluasi.is_final:
            messages.info(request, _("Evaluasi periode ini belum difinalkan pejabat penilai."))
            return redirect(_url("realisasi", skp, periode))
    evaluasi.skp, evaluasi.periode_evaluasi = skp, periode
    if request.method == "POST":
        return _evaluasi_post(request, evaluasi)
    return _render_evaluasi(request, evaluasi, editable=is_penilai and not evaluasi.is_final)


def _evaluasi_post(request, evaluasi: Evaluasi):
    skp, periode = evaluasi.skp, evaluasi.periode_evaluasi
    if evaluasi.is_final:
        messages.error(request, _("Evaluasi sudah final dan tidak dapat diubah; gunakan jalur keberatan."))
        return _render_evaluasi(request, evaluasi, editable=False)
    rhk_ids, cv_ids = _form_targets(skp)
    form = EvaluasiForm(request.POST, rhk_ids=rhk_ids, core_value_ids=cv_ids, pp30=skp.instansi.mode_numerik_pp30)
    action = request.POST.get("action", "simpan")
    if not form.is_valid():
        return _render_evaluasi(request, evaluasi, editable=True, form=form, stale=False)
    try:
        ev.evaluasi_save(evaluasi=evaluasi, by=request.user, **form.service_kwargs())
    except ValidationError as exc:
        _add_errors(form, exc)
        stale = Evaluasi.objects.filter(pk=evaluasi.pk).exclude(versi=form.cleaned_data["versi"]).exists()
        current = Evaluasi.objects.get(pk=evaluasi.pk) if stale else None
        return _render_evaluasi(request, evaluasi, editable=True, form=form, stale=stale, current=current)
    if action == "konfirmasi":  # no JavaScript: the confirmation is a page, the draft already saved
        messages.info(request, _("Draf disimpan. Periksa sekali lagi, lalu finalkan."))
        return _render_evaluasi(request, evaluasi, editable=True, confirm_finalize=True)
    if action != "finalkan":
        messages.success(request, _("Draf evaluasi disimpan."))
        return redirect(_url("evaluasi", skp, periode))
    # The draft is saved; the form now stands at the new version, whatever finalising says.
    form.data = form.data.copy()
    form.data["versi"] = str(evaluasi.versi)
    if _save_or_errors(
        form,
        ev.evaluasi_finalize,
        evaluasi=evaluasi,
        by=request.user,
        justifikasi=form.cleaned_data.get("justifikasi", ""),
        versi=evaluasi.versi,
    ):
        messages.success(request, _("Evaluasi difinalkan. Pegawai akan menerima pemberitahuan."))
        return redirect(_url("evaluasi", skp, periode))
    return _render_evaluasi(request, evaluasi, editable=True, form=form, finalize_failed=True)


@login_required
@require_POST
def realisasi_verify(request, skp_pk, periode_pk, iki_pk):
    """The pejabat penilai marks a self-reported realisation verified against its evidence, or not."""
    skp = access.get_skp_for(request, skp_pk)
    access.require_skp_penilai(request, skp)
    periode = selectors.periode_of(skp, periode_pk)
    realisasi = get_object_or_404(
        Realisasi.objects.select_related("iki__rhk", "periode_evaluasi"),
        iki_id=iki_pk,
        iki__rhk__skp=skp,
        periode_evaluasi=periode,
    )
    realisasi.iki.rhk.skp = skp
    form = VerifikasiForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    error, message = "", ""
    try:
        ev.realisasi_verify(realisasi=realisasi, verified=form.cleaned_data["verified"], by=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        message = (
            _("Realisasi ditandai terverifikasi.")
            if realisasi.diverifikasi
            else _("Realisasi ditandai belum sesuai bukti.")
        )
    if request.htmx:
        item = selectors.iki_row(skp=skp, periode=periode, iki=realisasi.iki)
        item.message = error or message
        context = {"skp": skp, "periode": periode, "item": item, "editable": True, "error": bool(error)}
        return render(request, "appraisal/evaluasi/_iki_evaluasi.html", context)
    (messages.error if error else messages.success)(request, error or message)
    return redirect(_url("evaluasi", skp, periode, f"iki-{realisasi.iki_id}"))


@login_required
@require_GET
def evaluasi_distribusi(request, skp_pk, periode_pk):
    """The distribution panel for the ratings being chosen (htmx), the candidate predikat computed
    here from the two ratings, in place of this evaluation's stored one."""
    skp = access.get_skp_for(request, skp_pk)
    access.require_skp_penilai(request, skp)
    periode = selectors.periode_of(skp, periode_pk)
    evaluasi = get_object_or_404(Evaluasi, skp=skp, periode_evaluasi=periode)
    hasil, perilaku = request.GET.get("rating_hasil_kerja", ""), request.GET.get("rating_perilaku_kerja", "")
    candidate = rules.predikat(hasil, perilaku) if hasil in rules.RATINGS and perilaku in rules.RATINGS else ""
    skp = SKP.objects.select_related("instansi", "pegawai__unit").get(pk=skp.pk)
    panel = selectors.distribution_panel(skp=skp, periode=periode, candidate=candidate, exclude=evaluasi.pk)
    context = {"distribution": panel, "justifikasi": request.GET.get("justifikasi", "")[:3000], "oob": True}
    return render(request, "appraisal/evaluasi/_distribusi.html", context)


# --- The supervisor's team list (issue 4, item 6 on screen) ----------------------------------------------


@login_required
def evaluasi_team(request):
    pegawai_id = _me(request)
    if pegawai_id is None:
        raise PermissionDenied
    periode_skp = PeriodeSKP.objects.filter(instansi__pegawai=pegawai_id).order_by("-tahun").first()
    context = selectors.team_evaluations(pegawai_id=pegawai_id, periode_skp=periode_skp)
    context["is_head"] = Pegawai.objects.filter(pk=pegawai_id, jabatan__is_kepala_unit=True).exists()
    return render(request, "appraisal/evaluasi/team.html", context)


# --- Capaian Kinerja Organisasi (issue 4 item 4) -------------------------------------------------------------


def _chosen_periode(periods: list[PeriodeEvaluasi], raw) -> PeriodeEvaluasi | None:
    chosen = next((p for p in periods if str(p.pk) == str(raw)), None)
    return chosen or selectors.current_periode(periods)


@login_required
def capaian(request):
    """A head of unit sets the Capaian Kinerja Organisasi of the units they lead, per period."""
    head_unit = access.require_kepala_unit(request)
    periode_skp = open_periode(instansi_id=head_unit.instansi_id)
    periods = sorted(
        PeriodeEvaluasi.objects.filter(periode_skp=periode_skp), key=lambda p: (p.is_tahunan, p.mulai, p.ke)
    )
    periode = _chosen_periode(periods, request.GET.get("periode"))
    bound = None
    if request.method == "POST":
        periode = next((p for p in periods if str(p.pk) == request.POST.get("periode")), None)
        try:
            unit_pk = int(request.POST.get("unit", ""))
        except ValueError:
            unit_pk = None
        if periode is None or unit_pk is None:
            return HttpResponseBadRequest()
        unit = get_object_or_404(
            UnitKerja, pk=unit_pk, instansi_id=head_unit.instansi_id, path__startswith=head_unit.path
        )
        form = CapaianForm(request.POST, unit_pk=unit.pk)
        ok = form.is_valid() and _save_or_errors(
            form,
            ev.capaian_set,
            unit=unit,
            periode=periode,
            predikat=form.cleaned_data["predikat"],
            catatan=form.cleaned_data.get("catatan", ""),
            by=request.user,
        )
        if request.htmx:
            return _capaian_row_response(request, head_unit, periode, unit, form=None if ok else form, saved=bool(ok))
        if ok:
            messages.success(request, _("Capaian kinerja organisasi %(unit)s disimpan.") % {"unit": unit.nama})
            return redirect(f"{reverse('appraisal:capaian')}?periode={periode.pk}#unit-{unit.pk}")
        bound = (unit.pk, form)
    rows = selectors.capaian_rows(head_unit=head_unit, periode=periode) if periode else []
    for row in rows:
        row.form = bound[1] if bound and bound[0] == row.unit.pk else _capaian_form(row, periode)
    context = {"head_unit": head_unit, "periode_skp": periode_skp, "periods": periods, "periode": periode, "rows": rows}
    return render(request, "appraisal/evaluasi/capaian.html", context)


def _capaian_form(row, periode) -> CapaianForm:
    return CapaianForm(unit_pk=row.unit.pk, initial=CapaianForm.initial_for(row, periode))


def _capaian_row_response(request, head_unit, periode, unit, *, form, saved: bool):
    """htmx: the saved unit's row, and (out of band) what now governs each unit below it."""
    rows = selectors.capaian_rows(head_unit=head_unit, periode=periode)
    for row in rows:
        if row.unit.pk == unit.pk:
            row.form = form or _capaian_form(row, periode)
            saved_row = row
    context = {"row": saved_row, "rows": rows, "periode": periode, "saved": saved, "oob": saved}
    return render(request, "appraisal/evaluasi/_capaian_row.html", context)
