"""Writes to the organisation and its people. Views call these, never ``.save()``.

Each service validates (``full_clean``), writes in a transaction and keeps the
denormalised fields (unit paths, an employee's current post and superiors) in step.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .hierarchy import Holding, Organisation
from .models import Instansi, Jabatan, JenisPenugasan, Pegawai, Penugasan, UnitKerja, User


def _today() -> datetime.date:
    return timezone.localdate()


# --- Units --------------------------------------------------------------------


def _parent_path(unit: UnitKerja) -> str:
    # Read from the database: a parent instance loaded before an earlier move carries a stale path.
    if not unit.parent_id:
        return ""
    return UnitKerja.objects.values_list("path", flat=True).get(pk=unit.parent_id)


def _set_path(unit: UnitKerja) -> None:
    parent_path = _parent_path(unit)
    unit.path = f"{parent_path}{unit.pk:06d}/"
    unit.depth = unit.path.count("/") - 1


@transaction.atomic
def unit_save(*, unit: UnitKerja) -> UnitKerja:
    """Create or update a UnitKerja and re-root the materialised paths of its subtree.

    Refuses to move a unit under itself or one of its descendants."""
    unit.full_clean()
    if unit.parent_id:
        if unit.parent.instansi_id != unit.instansi_id:
            raise ValidationError({"parent": _("Unit induk harus dari instansi yang sama.")})
        if unit.pk and _parent_path(unit).startswith(UnitKerja.objects.get(pk=unit.pk).path):
            raise ValidationError({"parent": _("Unit tidak dapat dipindahkan ke bawah dirinya sendiri.")})
    old_path = UnitKerja.objects.filter(pk=unit.pk).values_list("path", flat=True).first() if unit.pk else None
    unit.save()
    _set_path(unit)
    UnitKerja.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    if old_path and old_path != unit.path:
        descendants = list(UnitKerja.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
        for child in descendants:
            child.path = unit.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 1
        UnitKerja.objects.bulk_update(descendants, ["path", "depth"])
    return unit


# --- Jabatan --------------------------------------------------------------------


@transaction.atomic
def jabatan_save(*, jabatan: Jabatan) -> Jabatan:
    """Create or update a Jabatan; a changed reporting line re-resolves the instansi's superiors."""
    jabatan.full_clean()
    changed_line = True
    if jabatan.pk:
        changed_line = not Jabatan.objects.filter(pk=jabatan.pk, atasan_id=jabatan.atasan_id).exists()
    jabatan.save()
    if changed_line:
        transaction.on_commit(lambda: hierarchy_refresh(instansi_id=jabatan.instansi_id))
    return jabatan


# --- Pegawai and their assignments ------------------------------------------------


@transaction.atomic
def pegawai_save(*, pegawai: Pegawai) -> Pegawai:
    """Create or update a Pegawai after the NIP/NI PPPK rules (§7.1–7.2) pass."""
    pegawai.full_clean()
    pegawai.save()
    return pegawai


@transaction.atomic
def penugasan_create(*, penugasan: Penugasan) -> Penugasan:
    """Record an assignment. A new definitive post ends the employee's previous open
    definitive assignment and their running SKP the day before, then the superiors are re-resolved."""
    penugasan.instansi_id = penugasan.pegawai.instansi_id
    penugasan.full_clean()
    if penugasan.jabatan.instansi_id != penugasan.instansi_id:
        raise ValidationError({"jabatan": _("Jabatan harus dari instansi pegawai yang sama.")})
    if penugasan.jenis == JenisPenugasan.DEFINITIF:
        moved = Penugasan.objects.filter(
            pegawai=penugasan.pegawai, jenis=JenisPenugasan.DEFINITIF, selesai__isnull=True, mulai__lt=penugasan.mulai
        ).update(selesai=penugasan.mulai - datetime.timedelta(days=1))
        if moved:
            # Rules §1.10: a mutasi/promosi ends the running SKP the day before the move; the new
            # SKP (with the new pejabat penilai) is started from the new post.
            from appraisal.services import skp_close_on_move

            skp_close_on_move(pegawai_id=penugasan.pegawai_id, move_date=penugasan.mulai)
    penugasan.save()
    instansi_id = penugasan.instansi_id
    transaction.on_commit(lambda: hierarchy_refresh(instansi_id=instansi_id))
    return penugasan


@transaction.atomic
def penugasan_end(*, penugasan: Penugasan, selesai: datetime.date) -> Penugasan:
    """Close an assignment on ``selesai`` and re-resolve the superiors."""
    penugasan.selesai = selesai
    penugasan.full_clean()
    penugasan.save(update_fields=["selesai"])
    instansi_id = penugasan.instansi_id
    transaction.on_commit(lambda: hierarchy_refresh(instansi_id=instansi_id))
    return penugasan


def organisation_for(*, instansi_id: int, day: datetime.date) -> Organisation:
    """The instansi's posts and holders on ``day``, loaded in two queries."""
    atasan_of = dict(Jabatan.objects.filter(instansi_id=instansi_id).values_list("id", "atasan_id"))
    rows = Penugasan.objects.filter(instansi_id=instansi_id, mulai__lte=day).exclude(selesai__lt=day)
    holdings = [
        Holding(p, j, jenis, mulai, selesai)
        for p, j, jenis, mulai, selesai in rows.values_list("pegawai_id", "jabatan_id", "jenis", "mulai", "selesai")
    ]
    return Organisation(atasan_of, holdings, day)


def hierarchy_refresh(*, instansi_id: int, day: datetime.date | None = None) -> int:
    """Recompute every employee's current post, unit and superiors for one instansi, in bulk.

    Three reads and one bulk update whatever the size; returns the number of rows changed."""
    day = day or _today()
    org = organisation_for(instansi_id=instansi_id, day=day)
    unit_of = dict(Jabatan.objects.filter(instansi_id=instansi_id).values_list("id", "unit_id"))
    changed = []
    for pegawai in Pegawai.objects.filter(instansi_id=instansi_id).only(
        "id", "jabatan_id", "unit_id", "pejabat_penilai_id", "atasan_pejabat_penilai_id"
    ):
        own = org.own_post.get(pegawai.id)
        sup = org.superiors_of(pegawai.id)
        new = (
            own.jabatan_id if own else None,
            unit_of.get(own.jabatan_id) if own else None,
            sup.penilai.pegawai_id if sup.penilai else None,
            sup.atasan_penilai.pegawai_id if sup.atasan_penilai else None,
        )
        old = (pegawai.jabatan_id, pegawai.unit_id, pegawai.pejabat_penilai_id, pegawai.atasan_pejabat_penilai_id)
        if new != old:
            (pegawai.jabatan_id, pegawai.unit_id, pegawai.pejabat_penilai_id, pegawai.atasan_pejabat_penilai_id) = new
            changed.append(pegawai)
    Pegawai.objects.bulk_update(
        changed, ["jabatan", "unit", "pejabat_penilai", "atasan_pejabat_penilai"], batch_size=2000
    )
    return len(changed)


def superiors_on(*, pegawai: Pegawai, day: datetime.date) -> tuple[Pegawai | None, Pegawai | None]:
    """The pejabat penilai and atasan pejabat penilai of ``pegawai`` on any date (e.g. an SKP start)."""
    sup = organisation_for(instansi_id=pegawai.instansi_id, day=day).superiors_of(pegawai.id)
    ids = [h.pegawai_id for h in (sup.penilai, sup.atasan_penilai) if h]
    found = Pegawai.objects.in_bulk(ids)
    return (
        found.get(sup.penilai.pegawai_id) if sup.penilai else None,
        found.get(sup.atasan_penilai.pegawai_id) if sup.atasan_penilai else None,
    )


# --- Logins -------------------------------------------------------------------------


def user_create_for_pegawai(*, pegawai: Pegawai, password: str | None) -> User:
    """A login for an employee, username = NIP. Without a password the account is
    unusable until a password is set (never defaulted to the NIP)."""
    user = User(username=pegawai.nip, pegawai=pegawai, instansi=pegawai.instansi, email=pegawai.email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def instansi_save(*, instansi: Instansi) -> Instansi:
    instansi.full_clean()
    instansi.save()
    return instansi
