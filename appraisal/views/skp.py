"""The SKP screens (perencanaan kinerja, rules §1.3–1.5): the employee's SKPs, the SKP
page (an editor for its owner while DRAFT/REVISI, the decision page for the pejabat
penilai, read-only for everyone else who may see it), the supervisor's inbox and the
matriks peran hasil.

Every view first fetches the SKP through accounts.access (404 outside reach), then checks
the role (403), then calls one service, which checks again. RHK, IKI and lampiran edits
answer htmx requests with the block they changed; without JavaScript the same URLs work as
ordinary pages (a form page, a confirmation page, a redirect)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from accounts import access
from accounts.models import Pegawai

from .. import selectors, selectors_evaluasi, services
from ..forms.skp import (
    AlasanForm,
    CatatanForm,
    DistributionForm,
    EkspektasiForm,
    IKIForm,
    LampiranForm,
    PendekatanForm,
    RHKForm,
)
from ..models import IKI, RHK, SKP, JenisRHK, LampiranSKP, StatusSKP

JENIS_RHK_SLUGS = {"utama": JenisRHK.UTAMA, "tambahan": JenisRHK.TAMBAHAN}


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _save_or_errors(form, service, **kwargs) -> bool:
    """Call a service; a ValidationError it raises lands on the form instead of a 500."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        _add_errors(form, exc)
        return False
    return True


def _own_pegawai(request) -> Pegawai:
    """The signed-in employee; 403 for a login with no employee behind it (e.g. an HR admin)."""
    pegawai_id = access.roles_of(request).pegawai_id
    if pegawai_id is None:
        raise PermissionDenied
    return access.get_pegawai_for(request, pegawai_id)


def _detail_url(skp: SKP, anchor: str = "") -> str:
    url = reverse("appraisal:skp_detail", args=[skp.pk])
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class Permissions:
    """What the viewer may do on this SKP (the services check each again)."""

    is_owner: bool
    is_penilai: bool
    can_edit: bool
    can_decide: bool
    can_set_ekspektasi: bool
    can_revise: bool
    can_distribute: bool


def _permissions(request, skp: SKP) -> Permissions:
    roles = access.roles_of(request)
    me = roles.pegawai_id
    is_owner = me is not None and me == skp.pegawai_id
    is_penilai = me is not None and me == skp.pejabat_penilai_id
    approved = skp.status == StatusSKP.DISETUJUI
    return Permissions(
        is_owner=is_owner,
        is_penilai=is_penilai,
        can_edit=is_owner and skp.is_editable,
        can_decide=is_penilai and skp.status == StatusSKP.DIAJUKAN,
        # services.perilaku_set_ekspektasi: the penilai writes them any time before approving.
        can_set_ekspektasi=is_penilai and not approved,
        can_revise=(is_owner or is_penilai) and approved and skp.is_current,
        can_distribute=is_owner and approved and skp.is_current and roles.is_supervisor,
    )


# --- SKP saya ---------------------------------------------------------------------------------


@login_required
def my_skp(request):
    pegawai = _own_pegawai(request)
    return render(request, "appraisal/skp/my_skp.html", {"pegawai": pegawai, **selectors.my_skp(pegawai=pegawai)})


@login_required
@require_POST
def skp_start(request):
    """Start the employee's SKP for the open year (the instansi's latest PeriodeSKP)."""
    pegawai = _own_pegawai(request)
    periode = selectors.open_periode(instansi_id=pegawai.instansi_id)
    if periode is None:
        messages.error(request, _("Admin kepegawaian belum membuka periode SKP."))
        return redirect("appraisal:my_skp")
    try:
        skp = services.skp_create(pegawai=pegawai, periode=periode, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("appraisal:my_skp")
    messages.success(
        request, _("SKP %(tahun)s dibuat. Susun RHK dan IKI Anda, lalu ajukan.") % {"tahun": periode.tahun}
    )
    return redirect(_detail_url(skp))


# --- The SKP page -----------------------------------------------------------------------------


def _lampiran_groups(groups: list[dict], *, can_edit: bool, bound: LampiranForm | None = None) -> list[dict]:
    """Attach an add-item form to each lampiran list (the bound one where a post failed)."""
    if can_edit:
        for group in groups:
            if bound is not None and bound.data.get("jenis") == group["jenis"]:
                group["form"] = bound
            else:
                group["form"] = LampiranForm(initial={"jenis": group["jenis"]}, auto_id=f"id_{group['jenis']}_%s")
    return groups


def _render_detail(request, skp: SKP, **extra):
    perms = _permissions(request, skp)
    context = selectors.skp_detail(skp=skp, editing=perms.can_edit)
    skp = context["skp"]
    context["allowed"] = perms
    _lampiran_groups(context["lampiran"], can_edit=perms.can_edit, bound=extra.pop("lampiran_form", None))
    if perms.can_edit:
        context["pendekatan_form"] = PendekatanForm(initial={"pendekatan": skp.pendekatan})
    if perms.can_set_ekspektasi:
        context["ekspektasi_form"] = EkspektasiForm(perilaku=context["perilaku"])
    if perms.can_decide:
        context["catatan_form"] = CatatanForm(auto_id="id_kembalikan_%s")
    if perms.can_revise:
        context["alasan_form"] = AlasanForm(auto_id="id_revisi_%s")
    context.update(extra)
    return render(request, "appraisal/skp/detail.html", context)


@login_required
def skp_detail(request, pk):
    skp = access.get_skp_for(request, pk)
    return _render_detail(request, skp)


def _block(request, skp: SKP, block: str, **extra):
    """Render one block of the SKP page (for htmx), with the same data the page has."""
    perms = _permissions(request, skp)
    context = {"skp": skp, "allowed": perms, **extra}
    if block == "hasil_kerja":
        context.update(selectors.skp_hasil_kerja(skp=skp, editing=perms.can_edit))
    elif block == "lampiran":
        context["lampiran"] = _lampiran_groups(
            selectors.skp_lampiran(skp=skp), can_edit=perms.can_edit, bound=extra.get("lampiran_form")
        )
    elif block == "perilaku":
        context["perilaku"] = selectors.skp_perilaku(skp=skp)
        if perms.can_set_ekspektasi:
            context["ekspektasi_form"] = EkspektasiForm(perilaku=context["perilaku"])
    return render(request, f"appraisal/skp/_{block}.html", context)


def _changed(request, skp: SKP, message: str, *, block: str = "hasil_kerja", anchor: str = "", error: str = ""):
    """After a write: htmx gets the fresh block in place of the old; a plain post is redirected."""
    if request.htmx:
        response = _block(request, skp, block, block_error=error, block_message="" if error else message)
        return reswap(retarget(response, f"#{block.replace('_', '-')}"), "outerHTML")
    (messages.error if error else messages.success)(request, error or message)
    return redirect(_detail_url(skp, anchor or block.replace("_", "-")))


def _form_response(request, skp: SKP, partial: str, *, title: str, **context):
    """An add/edit form: just the form for htmx, a page around it otherwise."""
    context.update(skp=skp, partial=partial, title=title, action=request.get_full_path(), htmx=bool(request.htmx))
    return render(request, partial if request.htmx else "appraisal/skp/form_page.html", context)


def _delete(
    request, skp: SKP, *, delete, title: str, question: str, done: str, block: str = "hasil_kerja", anchor: str = ""
):
    """The shared delete flow: a GET (no JavaScript) asks for confirmation; a POST calls the
    service ``delete(by=…)`` and answers like any other change, a refusal as the block's error."""
    if request.method != "POST":
        return _confirm(request, skp, title=title, question=question, button=_("Hapus"), danger=True)
    try:
        delete(by=request.user)
    except ValidationError as exc:
        return _changed(request, skp, "", block=block, error=" ".join(exc.messages))
    return _changed(request, skp, done, block=block, anchor=anchor)


def _confirm(request, skp: SKP, *, title: str, question: str, button: str, danger: bool = False, form=None):
    return render(
        request,
        "appraisal/skp/confirm.html",
        {"skp": skp, "title": title, "question": question, "button": button, "danger": danger, "form": form},
    )


# --- RHK --------------------------------------------------------------------------------------


def _rhk_form(request, skp: SKP, rhk: RHK):
    rhk.skp = skp
    parents = list(services.supervisor_rhk_choices(skp=skp)) if rhk.jenis == JenisRHK.UTAMA else []
    form = RHKForm(
        request.POST if request.method == "POST" else None,
        initial=RHKForm.initial_for(rhk) if rhk.pk else None,
        skp=skp,
        jenis=rhk.jenis,
        parent_choices=parents,
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(form, services.rhk_save, rhk=form.apply_to(rhk), by=request.user):
            return _changed(request, skp, _("RHK disimpan."), anchor=f"rhk-{rhk.pk}")
    if rhk.pk:
        title = _("Ubah RHK")
    elif rhk.jenis == JenisRHK.UTAMA:
        title = _("Tambah RHK Utama")
    else:
        title = _("Tambah RHK Tambahan")
    return _form_response(request, skp, "appraisal/skp/_rhk_form.html", title=title, form=form, rhk=rhk)


@login_required
def rhk_add(request, pk, jenis):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    if jenis not in JENIS_RHK_SLUGS:
        raise Http404
    return _rhk_form(request, skp, RHK(jenis=JENIS_RHK_SLUGS[jenis]))


@login_required
def rhk_edit(request, pk, rhk_pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    return _rhk_form(request, skp, get_object_or_404(RHK, pk=rhk_pk, skp=skp))


@login_required
def rhk_delete(request, pk, rhk_pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    rhk = get_object_or_404(RHK, pk=rhk_pk, skp=skp)
    rhk.skp = skp
    return _delete(
        request,
        skp,
        delete=lambda by: services.rhk_delete(rhk=rhk, by=by),
        title=_("Hapus RHK"),
        question=_("Hapus RHK “%(rhk)s” beserta semua IKI-nya?") % {"rhk": rhk.uraian[:120]},
        done=_("RHK dihapus."),
    )


# --- IKI --------------------------------------------------------------------------------------


def _iki_form(request, skp: SKP, iki: IKI):
    iki.rhk.skp = skp
    form = IKIForm(
        request.POST if request.method == "POST" else None,
        initial=IKIForm.initial_for(iki) if iki.pk else None,
        skp=skp,
        katalog=selectors_evaluasi.katalog_for_iki(skp=skp),
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(form, services.iki_save, iki=form.apply_to(iki), by=request.user):
            return _changed(request, skp, _("IKI disimpan."), anchor=f"rhk-{iki.rhk_id}")
    title = _("Ubah IKI") if iki.pk else _("Tambah IKI")
    return _form_response(request, skp, "appraisal/skp/_iki_form.html", title=title, form=form, iki=iki, rhk=iki.rhk)


@login_required
def iki_add(request, pk, rhk_pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    return _iki_form(request, skp, IKI(rhk=get_object_or_404(RHK, pk=rhk_pk, skp=skp)))


@login_required
def iki_edit(request, pk, iki_pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    return _iki_form(request, skp, get_object_or_404(IKI.objects.select_related("rhk"), pk=iki_pk, rhk__skp=skp))


@login_required
def iki_delete(request, pk, iki_pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    iki = get_object_or_404(IKI.objects.select_related("rhk"), pk=iki_pk, rhk__skp=skp)
    iki.rhk.skp = skp
    return _delete(
        request,
        skp,
        delete=lambda by: services.iki_delete(iki=iki, by=by),
        title=_("Hapus IKI"),
        question=_("Hapus IKI “%(iki)s”?") % {"iki": iki.uraian[:120]},
        done=_("IKI dihapus."),
        anchor=f"rhk-{iki.rhk_id}",
    )


# --- Pendekatan and lampiran ------------------------------------------------------------------


@login_required
@require_POST
def pendekatan_set(request, pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    form = PendekatanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih pendekatan kuantitatif atau kualitatif."))
        return redirect(_detail_url(skp))
    try:
        services.skp_set_pendekatan(skp=skp, pendekatan=form.cleaned_data["pendekatan"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pendekatan hasil kerja: %(p)s.") % {"p": skp.get_pendekatan_display()})
    return redirect(_detail_url(skp))


@login_required
@require_POST
def lampiran_add(request, pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    form = LampiranForm(request.POST, auto_id=f"id_{request.POST.get('jenis', '')}_%s")
    if form.is_valid():
        lampiran = form.apply_to(LampiranSKP(skp=skp))
        if _save_or_errors(form, services.lampiran_save, lampiran=lampiran, by=request.user):
            return _changed(request, skp, _("Butir lampiran ditambahkan."), block="lampiran")
    if request.htmx:
        return _block(request, skp, "lampiran", lampiran_form=form)
    return _render_detail(request, skp, lampiran_form=form)


@login_required
def lampiran_delete(request, pk, lampiran_pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    lampiran = get_object_or_404(LampiranSKP, pk=lampiran_pk, skp=skp)
    lampiran.skp = skp
    return _delete(
        request,
        skp,
        delete=lambda by: services.lampiran_delete(lampiran=lampiran, by=by),
        title=_("Hapus butir lampiran"),
        question=_("Hapus “%(uraian)s”?") % {"uraian": lampiran.uraian[:120]},
        done=_("Butir lampiran dihapus."),
        block="lampiran",
    )


# --- Workflow ---------------------------------------------------------------------------------


@login_required
def skp_submit(request, pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    if request.method != "POST":
        return _confirm(
            request,
            skp,
            title=_("Ajukan SKP"),
            question=_("Ajukan SKP ini ke pejabat penilai? Selama diajukan, SKP tidak dapat diubah."),
            button=_("Ajukan"),
        )
    try:
        skp = services.skp_submit(skp=skp, by=request.user)
    except ValidationError as exc:
        return _render_detail(request, skp, submit_errors=exc.messages)
    if skp.status == StatusSKP.DISETUJUI:
        messages.success(request, _("SKP ditetapkan."))
    else:
        messages.success(request, _("SKP diajukan. Pejabat penilai akan menerima pemberitahuan."))
    return redirect(_detail_url(skp))


@login_required
@require_POST
def ekspektasi_set(request, pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_penilai(request, skp)
    form = EkspektasiForm(request.POST, perilaku=selectors.skp_perilaku(skp=skp))
    error = ""
    if form.is_valid():
        try:
            services.perilaku_set_ekspektasi(skp=skp, ekspektasi=form.ekspektasi(), by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Periksa kembali isian ekspektasi (paling banyak 2.000 karakter per nilai).")
    return _changed(request, skp, _("Ekspektasi khusus pimpinan disimpan."), block="perilaku", error=error)


@login_required
def skp_return(request, pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_penilai(request, skp)
    form = CatatanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        catatan = form.cleaned_data["catatan"]
        if _save_or_errors(form, services.skp_return, skp=skp, by=request.user, catatan=catatan):
            messages.success(request, _("SKP dikembalikan ke pegawai dengan catatan Anda."))
            return redirect(_detail_url(skp))
    return _confirm(
        request,
        skp,
        title=_("Kembalikan SKP"),
        question=_("Kembalikan SKP %(nama)s untuk diperbaiki?") % {"nama": skp.pegawai.nama_lengkap},
        button=_("Kembalikan"),
        danger=True,
        form=form,
    )


@login_required
def skp_approve(request, pk):
    skp = access.get_skp_for(request, pk)
    access.require_skp_penilai(request, skp)
    if request.method != "POST":
        return _confirm(
            request,
            skp,
            title=_("Setujui SKP"),
            question=_("Setujui SKP %(nama)s? Setelah disetujui SKP terkunci; perubahan memerlukan revisi.")
            % {"nama": skp.pegawai.nama_lengkap},
            button=_("Setujui"),
        )
    try:
        services.skp_approve(skp=skp, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("SKP disetujui dan kini terkunci."))
    return redirect(_detail_url(skp))


@login_required
def skp_revise(request, pk):
    skp = access.get_skp_for(request, pk)
    try:
        access.require_skp_owner(request, skp)
    except PermissionDenied:
        access.require_skp_penilai(request, skp)
    form = AlasanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.skp_start_revision(skp=skp, by=request.user, alasan=form.cleaned_data["alasan"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Revisi ke-%(n)s dibuka. SKP yang disetujui tetap berlaku sampai revisi ini disetujui.")
                % {"n": new.revisi_ke},
            )
            return redirect(_detail_url(new))
    return _confirm(
        request,
        skp,
        title=_("Buka revisi SKP"),
        question=_("Buka revisi SKP ini? Isinya disalin ke draf baru yang dapat diubah lalu diajukan kembali."),
        button=_("Buka revisi"),
        form=form,
    )


# --- Inbox and matriks peran hasil ------------------------------------------------------------


@login_required
def inbox(request):
    pegawai = _own_pegawai(request)
    return render(request, "appraisal/skp/inbox.html", selectors.inbox(pegawai=pegawai))


@login_required
def distribute(request, pk):
    """Matriks peran hasil: share one RHK of my approved SKP with several direct subordinates."""
    skp = access.get_skp_for(request, pk)
    access.require_skp_owner(request, skp)
    choices = selectors.distribution_choices(skp=skp, pegawai_id=skp.pegawai_id)
    form = DistributionForm(request.POST if request.method == "POST" else None, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.rhk_distribute(rhk=form.chosen_rhk(), to=form.chosen_subordinates(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _report_distribution(request, result)
            return redirect("appraisal:distribute", pk=skp.pk)
    return render(request, "appraisal/skp/distribute.html", {"skp": skp, "form": form, **choices})


def _names(people) -> str:
    return ", ".join(p.nama_lengkap for p in people)


def _report_distribution(request, result: services.DistributionResult) -> None:
    if result.created:
        messages.success(request, _("RHK ditambahkan ke SKP: %(nama)s.") % {"nama": _names(result.created)})
    if result.already:
        messages.info(request, _("Sudah memiliki RHK ini: %(nama)s.") % {"nama": _names(result.already)})
    if result.locked:
        messages.warning(
            request,
            _("Tidak diubah karena SKP-nya sudah diajukan atau disetujui: %(nama)s. Minta mereka membuka revisi.")
            % {"nama": _names(result.locked)},
        )
