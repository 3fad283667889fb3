"""The objection screens (keberatan, PP 30/2019 Pasal 59, rules §2.4): the employee objects to
a final evaluation within 14 days; the atasan pejabat penilai asks the pejabat penilai and the
employee to explain, then upholds or changes the result — a final decision.

Every view first fetches its object through accounts.access (404 outside reach), then checks
the role (403), then calls one service, which checks again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access

from .. import rules
from .. import selectors_keberatan as selectors
from .. import services_evaluasi as services
from ..forms.keberatan import KeberatanFilterForm, KeberatanForm, KeputusanForm, KlarifikasiForm
from ..models import Keberatan, StatusKeberatan


def _save_or_errors(form, service, **kwargs) -> bool:
    """Call a service; a ValidationError it raises lands on the form instead of a 500."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True


# --- The employee objects ------------------------------------------------------------------------------


@login_required
def keberatan_create(request, evaluasi_pk):
    evaluasi = access.get_final_evaluasi_for(request, evaluasi_pk)
    if access.roles_of(request).pegawai_id != evaluasi.skp.pegawai_id:
        raise PermissionDenied
    context = selectors.keberatan_create_page(evaluasi=evaluasi)
    if context["existing"] is not None and request.method != "POST":
        return redirect("appraisal:keberatan_detail", context["existing"].pk)
    form = KeberatanForm(request.POST or None)
    # A late or repeated objection goes straight to the service, so the employee reads why it is
    # refused (the deadline, the objection already lodged), not a complaint about an empty field.
    refused_anyway = not context["window_open"] or context["existing"] is not None
    if request.method == "POST" and (refused_anyway or form.is_valid()):
        alasan = request.POST.get("alasan", "") if refused_anyway else form.cleaned_data["alasan"]
        if _save_or_errors(form, services.keberatan_submit, evaluasi=evaluasi, alasan=alasan, by=request.user):
            messages.success(
                request,
                _("Keberatan Anda telah diajukan kepada atasan pejabat penilai. Anda akan diberi tahu keputusannya."),
            )
            return redirect("appraisal:keberatan_detail", Keberatan.objects.get(evaluasi=evaluasi).pk)
    return render(request, "appraisal/keberatan/create.html", {**context, "form": form})


# --- The objection page -----------------------------------------------------------------------------------


def _can(request, keberatan: Keberatan) -> dict:
    me = access.roles_of(request).pegawai_id
    skp = keberatan.evaluasi.skp
    is_atasan = me is not None and me == skp.atasan_pejabat_penilai_id
    is_penilai = me is not None and me == skp.pejabat_penilai_id
    is_pegawai = me is not None and me == skp.pegawai_id
    open_ = not keberatan.is_decided
    clarifying = keberatan.status == StatusKeberatan.KLARIFIKASI
    return {
        "is_atasan": is_atasan,
        "is_penilai": is_penilai,
        "is_pegawai": is_pegawai,
        "can_request_clarification": is_atasan and keberatan.status == StatusKeberatan.DIAJUKAN,
        "can_clarify": (is_penilai or is_pegawai) and clarifying,
        "can_decide": is_atasan and open_,
    }


def _render_detail(request, keberatan: Keberatan, *, klarifikasi_form=None, keputusan_form=None):
    context = selectors.keberatan_detail(keberatan=keberatan)
    can = _can(request, keberatan)
    context["can"] = can
    if can["can_clarify"]:
        own = keberatan.klarifikasi_penilai if can["is_penilai"] else keberatan.klarifikasi_pegawai
        context["klarifikasi_form"] = klarifikasi_form or KlarifikasiForm(initial={"text": own})
    if can["can_decide"]:
        context["keputusan_form"] = keputusan_form or KeputusanForm()
        context["predikat_labels"] = selectors.predikat_labels()
    return render(request, "appraisal/keberatan/detail.html", context)


@login_required
def keberatan_detail(request, pk):
    keberatan = access.get_keberatan_for(request, pk)
    return _render_detail(request, keberatan)


def _refused(request, keberatan: Keberatan, exc: ValidationError):
    messages.error(request, " ".join(exc.messages))
    return redirect("appraisal:keberatan_detail", keberatan.pk)


@login_required
@require_POST
def keberatan_request_clarification(request, pk):
    keberatan = access.get_keberatan_for(request, pk)
    if access.roles_of(request).pegawai_id != keberatan.evaluasi.skp.atasan_pejabat_penilai_id:
        raise PermissionDenied
    try:
        services.keberatan_request_clarification(keberatan=keberatan, by=request.user)
    except ValidationError as exc:
        return _refused(request, keberatan, exc)
    messages.success(request, _("Pejabat penilai dan pegawai diminta memberikan klarifikasi."))
    return redirect("appraisal:keberatan_detail", keberatan.pk)


@login_required
@require_POST
def keberatan_clarify(request, pk):
    keberatan = access.get_keberatan_for(request, pk)
    can = _can(request, keberatan)
    if not (can["is_penilai"] or can["is_pegawai"]):
        raise PermissionDenied
    form = KlarifikasiForm(request.POST)
    # Out of turn (not asked yet, already decided) the service says so; there is no form to fix.
    if form.is_valid() or not can["can_clarify"]:
        text = form.cleaned_data.get("text", "")
        if _save_or_errors(form, services.keberatan_clarify, keberatan=keberatan, text=text, by=request.user):
            messages.success(request, _("Klarifikasi Anda disimpan."))
            return redirect("appraisal:keberatan_detail", keberatan.pk)
        if form.non_field_errors():
            messages.error(request, " ".join(form.non_field_errors()))
            return redirect("appraisal:keberatan_detail", keberatan.pk)
    return _render_detail(request, keberatan, klarifikasi_form=form)


@login_required
@require_POST
def keberatan_decide(request, pk):
    """Two steps: the decision form is checked and shown back with the computed predikat and a
    warning that the decision is final; only the confirmed post calls the service."""
    keberatan = access.get_keberatan_for(request, pk)
    if access.roles_of(request).pegawai_id != keberatan.evaluasi.skp.atasan_pejabat_penilai_id:
        raise PermissionDenied
    if keberatan.is_decided:
        return _refused(request, keberatan, ValidationError(_("Keberatan sudah diputus; keputusan bersifat final.")))
    form = KeputusanForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, keberatan, keputusan_form=form)
    data = form.cleaned_data
    if "kembali" in request.POST:  # back from the confirmation, with what was chosen
        return _render_detail(request, keberatan, keputusan_form=KeputusanForm(initial=data))
    if not data["konfirmasi"]:
        return _confirm_decision(request, keberatan, form)
    if _save_or_errors(
        form,
        services.keberatan_decide,
        keberatan=keberatan,
        by=request.user,
        ubah=form.ubah,
        pertimbangan=data["pertimbangan"],
        rating_hasil_kerja=data["rating_hasil_kerja"],
        rating_perilaku_kerja=data["rating_perilaku_kerja"],
    ):
        messages.success(request, _("Keberatan telah diputus. Keputusan ini final."))
        return redirect("appraisal:keberatan_detail", keberatan.pk)
    return _render_detail(request, keberatan, keputusan_form=form)


def _confirm_decision(request, keberatan: Keberatan, form: KeputusanForm):
    data = form.cleaned_data
    baru = None
    if form.ubah:
        baru = selectors.Hasil(
            data["rating_hasil_kerja"],
            data["rating_perilaku_kerja"],
            rules.predikat(data["rating_hasil_kerja"], data["rating_perilaku_kerja"]),
        )
    return render(
        request,
        "appraisal/keberatan/confirm_decide.html",
        {
            "keberatan": keberatan,
            "skp": keberatan.evaluasi.skp,
            "asli": selectors.hasil_asli(keberatan),
            "baru": baru,
            "data": data,
        },
    )


# --- Inbox ------------------------------------------------------------------------------------------------


@login_required
def keberatan_inbox(request):
    roles = access.roles_of(request)
    if roles.admin_instansi is None and roles.pegawai_id is None:
        raise PermissionDenied
    filters = KeberatanFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    context = selectors.keberatan_inbox(request, status=status, page=request.GET.get("page"))
    return render(request, "appraisal/keberatan/inbox.html", {**context, "filters": filters, "roles": roles})
