"""Who may see and do what: the one place access is decided.

Every view starts by fetching its object through a helper here, and every selector
filters through a ``*_visible_to`` queryset from here. Outside someone's reach the
answer is 404 (nothing leaks about what exists); inside their reach but not their
role it is 403.

Roles:
- superadmin: ``user.is_superuser``; sees every instansi, acts as the HR admin of the
  instansi chosen in the session;
- HR admin (admin kepegawaian): bound to ``user.instansi``; everything of that instansi;
- pejabat penilai: derived from the organisation (someone's ``pejabat_penilai`` is the
  user's Pegawai); their subordinates, and for the atasan pejabat penilai (who hears
  objections) the subordinates of those;
- pegawai: their own data.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.functional import cached_property

from .models import ImporData, Instansi, Jabatan, Pegawai, Penugasan, UnitKerja

ACTIVE_INSTANSI_SESSION_KEY = "sikap_instansi_id"


class Roles:
    """The roles of one request's user, computed once (templates read it as ``roles``)."""

    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def is_superadmin(self) -> bool:
        return self.user.is_authenticated and self.user.is_superuser

    @cached_property
    def is_hr_admin(self) -> bool:
        return self.user.is_authenticated and self.user.is_admin_kepegawaian and self.user.instansi_id is not None

    @cached_property
    def pegawai_id(self) -> int | None:
        return self.user.pegawai_id if self.user.is_authenticated else None

    @cached_property
    def is_supervisor(self) -> bool:
        return self.pegawai_id is not None and Pegawai.objects.filter(pejabat_penilai_id=self.pegawai_id).exists()

    @cached_property
    def admin_instansi(self) -> Instansi | None:
        """The instansi whose master data this user administers now, or None."""
        if self.is_hr_admin:
            return self.user.instansi
        if self.is_superadmin:
            instansi_id = self.request.session.get(ACTIVE_INSTANSI_SESSION_KEY)
            return Instansi.objects.filter(pk=instansi_id).first() if instansi_id else None
        return None


def roles_of(request) -> Roles:
    if not hasattr(request, "_sikap_roles"):
        request._sikap_roles = Roles(request)
    return request._sikap_roles


def require_admin_instansi(request) -> Instansi:
    """The instansi an HR admin (or a superadmin acting for one) manages; 403 for anyone else."""
    roles = roles_of(request)
    if roles.admin_instansi is None:
        if roles.is_superadmin:
            raise PermissionDenied("Pilih instansi terlebih dahulu.")
        raise PermissionDenied
    return roles.admin_instansi


# --- Pegawai ---------------------------------------------------------------------


def pegawai_visible_to(request) -> QuerySet[Pegawai]:
    """Employees the user may open: the admin's instansi, a supervisor's subordinates, oneself."""
    roles = roles_of(request)
    qs = Pegawai.objects.all()
    if roles.is_superadmin and roles.admin_instansi is None:
        return qs
    condition = Q(pk__in=[])
    if roles.admin_instansi is not None:
        condition |= Q(instansi=roles.admin_instansi)
    if roles.pegawai_id is not None:
        condition |= (
            Q(pk=roles.pegawai_id)
            | Q(pejabat_penilai_id=roles.pegawai_id)
            | Q(atasan_pejabat_penilai_id=roles.pegawai_id)
        )
    return qs.filter(condition)


def get_pegawai_for(request, pk: int) -> Pegawai:
    """The employee ``pk`` if the user may see them, else 404."""
    try:
        return pegawai_visible_to(request).select_related("instansi", "jabatan", "unit").get(pk=pk)
    except Pegawai.DoesNotExist:
        raise Http404 from None


def can_manage_pegawai(request, pegawai: Pegawai) -> bool:
    roles = roles_of(request)
    return roles.admin_instansi is not None and pegawai.instansi_id == roles.admin_instansi.pk


# --- Master data (HR admin only) ----------------------------------------------------


def get_unit_for_admin(request, pk: int) -> UnitKerja:
    instansi = require_admin_instansi(request)
    try:
        return UnitKerja.objects.select_related("parent").get(pk=pk, instansi=instansi)
    except UnitKerja.DoesNotExist:
        raise Http404 from None


def get_jabatan_for_admin(request, pk: int) -> Jabatan:
    instansi = require_admin_instansi(request)
    try:
        return Jabatan.objects.select_related("unit", "atasan").get(pk=pk, instansi=instansi)
    except Jabatan.DoesNotExist:
        raise Http404 from None


def get_pegawai_for_admin(request, pk: int) -> Pegawai:
    instansi = require_admin_instansi(request)
    try:
        return Pegawai.objects.select_related("jabatan", "unit").get(pk=pk, instansi=instansi)
    except Pegawai.DoesNotExist:
        raise Http404 from None


def get_penugasan_for_admin(request, pk: int) -> Penugasan:
    instansi = require_admin_instansi(request)
    try:
        return Penugasan.objects.select_related("pegawai", "jabatan").get(pk=pk, instansi=instansi)
    except Penugasan.DoesNotExist:
        raise Http404 from None


def get_impor_for_admin(request, pk: int) -> ImporData:
    """An import of master data of the admin's own instansi; 403 for non-admins, 404 for another's."""
    instansi = require_admin_instansi(request)
    try:
        return ImporData.objects.select_related("dibuat_oleh", "diterapkan_oleh").get(pk=pk, instansi=instansi)
    except ImporData.DoesNotExist:
        raise Http404 from None


# --- SKP (appraisal) ------------------------------------------------------------------


def skp_visible_to(request):
    """SKPs the user may open: their own; those they appraise or, as atasan pejabat penilai,
    oversee; every SKP of the instansi they administer."""
    from appraisal.models import SKP

    roles = roles_of(request)
    qs = SKP.objects.all()
    if roles.is_superadmin and roles.admin_instansi is None:
        return qs
    condition = Q(pk__in=[])
    if roles.admin_instansi is not None:
        condition |= Q(instansi=roles.admin_instansi)
    if roles.pegawai_id is not None:
        condition |= (
            Q(pegawai_id=roles.pegawai_id)
            | Q(pejabat_penilai_id=roles.pegawai_id)
            | Q(atasan_pejabat_penilai_id=roles.pegawai_id)
        )
    return qs.filter(condition)


def get_skp_for(request, pk: int):
    """The SKP ``pk`` if the user may see it, else 404."""
    from appraisal.models import SKP

    try:
        return skp_visible_to(request).select_related("pegawai", "pejabat_penilai", "periode", "jabatan").get(pk=pk)
    except SKP.DoesNotExist:
        raise Http404 from None


def require_skp_owner(request, skp) -> None:
    """403 unless the user is the employee whose SKP this is."""
    if roles_of(request).pegawai_id != skp.pegawai_id:
        raise PermissionDenied


def require_skp_penilai(request, skp) -> None:
    """403 unless the user is this SKP's pejabat penilai."""
    if roles_of(request).pegawai_id is None or roles_of(request).pegawai_id != skp.pejabat_penilai_id:
        raise PermissionDenied


# --- Keberatan and 360° (appraisal) -------------------------------------------------------


def get_final_evaluasi_for(request, pk: int):
    """The FINAL evaluation ``pk`` if the user may see its SKP, else 404 (a draft is not yet a
    result anyone can object to)."""
    from appraisal.models import Evaluasi, StatusEvaluasi

    try:
        return (
            Evaluasi.objects.filter(skp__in=skp_visible_to(request), status=StatusEvaluasi.FINAL)
            .select_related("skp__pegawai__jabatan", "skp__periode", "periode_evaluasi", "skp__atasan_pejabat_penilai")
            .get(pk=pk)
        )
    except Evaluasi.DoesNotExist:
        raise Http404 from None


def keberatan_visible_to(request):
    """Objections the user may open: those on an SKP they may see (their own, one they appraise
    or oversee as atasan pejabat penilai, or any of the instansi they administer)."""
    from appraisal.models import Keberatan

    return Keberatan.objects.filter(evaluasi__skp__in=skp_visible_to(request))


def get_keberatan_for(request, pk: int):
    """The objection ``pk`` with everything its page shows, if the user may see it, else 404."""
    from appraisal.models import Keberatan

    try:
        return (
            keberatan_visible_to(request)
            .select_related(
                "evaluasi__skp__pegawai__jabatan",
                "evaluasi__skp__pejabat_penilai",
                "evaluasi__skp__atasan_pejabat_penilai",
                "evaluasi__skp__periode",
                "evaluasi__periode_evaluasi",
                "pemutus",
            )
            .get(pk=pk)
        )
    except Keberatan.DoesNotExist:
        raise Http404 from None


def get_undangan_for(request, pk: int):
    """A 360° invitation addressed to the user and approved, else 404: only the invited rater
    may open it, and nobody else learns that it exists."""
    from appraisal.models import Undangan360

    pegawai_id = roles_of(request).pegawai_id
    try:
        return Undangan360.objects.select_related(
            "skp__pegawai__jabatan", "skp__pegawai__unit", "periode_evaluasi__periode_skp"
        ).get(pk=pk, penilai_id=pegawai_id, disetujui=True)
    except Undangan360.DoesNotExist:
        raise Http404 from None


def get_evaluasi_for(request, pk: int):
    """The evaluation ``pk``, draft or final, if the user may see its SKP, else 404."""
    from appraisal.models import Evaluasi

    try:
        return (
            Evaluasi.objects.filter(skp__in=skp_visible_to(request))
            .select_related("skp__pegawai", "skp__periode", "periode_evaluasi")
            .get(pk=pk)
        )
    except Evaluasi.DoesNotExist:
        raise Http404 from None


# --- Evaluation (appraisal) -------------------------------------------------------------


def get_bukti_for(request, pk: int):
    """The evidence ``pk`` if the user may see the SKP it supports, else 404."""
    from appraisal.models import BuktiDukung

    try:
        return BuktiDukung.objects.select_related("realisasi__iki__rhk").get(
            pk=pk, realisasi__iki__rhk__skp__in=skp_visible_to(request)
        )
    except BuktiDukung.DoesNotExist:
        raise Http404 from None


def require_kepala_unit(request) -> UnitKerja:
    """The unit the user heads (their post is marked kepala unit, as services_evaluasi.heads_of
    reads it); 403 for anyone else."""
    pegawai_id = roles_of(request).pegawai_id
    pegawai = Pegawai.objects.select_related("jabatan__unit").filter(pk=pegawai_id).first() if pegawai_id else None
    if pegawai is None or pegawai.jabatan is None or not pegawai.jabatan.is_kepala_unit:
        raise PermissionDenied
    return pegawai.jabatan.unit


# --- Rencana pembinaan (talenta) ------------------------------------------------------------


def get_pelatihan_for_admin(request, pk: int):
    """A training of the catalogue of the instansi the user administers; 404 outside it, 403 for non-HR."""
    from talenta.models import Pelatihan

    instansi = require_admin_instansi(request)
    try:
        return Pelatihan.objects.get(pk=pk, instansi=instansi)
    except Pelatihan.DoesNotExist:
        raise Http404 from None


def get_jadwal_for_admin(request, pk: int):
    """A scheduled training of the instansi the user administers; 404 outside it, 403 for non-HR."""
    from talenta.models import JadwalPelatihan

    instansi = require_admin_instansi(request)
    try:
        return JadwalPelatihan.objects.select_related("pelatihan").get(pk=pk, instansi=instansi)
    except JadwalPelatihan.DoesNotExist:
        raise Http404 from None
