"""Writes for SKP planning. Each service checks who may do it and the state it starts
from, writes in a transaction, leaves an audit trail (django-simple-history on every
model plus a CatatanSKP per workflow step) and queues notifications after commit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Pegawai, Penugasan, User
from accounts.rules import format_nip, pangkat_golongan_label
from accounts.services import superiors_on
from ops.outbox import send_on_commit

from . import rules
from .models import (
    IKI,
    RHK,
    SKP,
    CatatanSKP,
    CoreValue,
    JenisRHK,
    LampiranSKP,
    Pendekatan,
    PeriodeSKP,
    SKPPerilaku,
    StatusSKP,
    SumberRealisasi,
)

# --- Periods ------------------------------------------------------------------------------------


@transaction.atomic
def periode_open(*, instansi, tahun: int, ritme: str, by: User, mulai=None, selesai=None) -> PeriodeSKP:
    """Open an SKP year for an instansi (default 1 January – 31 December, rules §1.4.1) with its
    periodic and annual evaluation periods (rules §1.8)."""
    default_mulai, default_selesai = rules.default_period(tahun)
    periode = PeriodeSKP(
        instansi=instansi,
        tahun=tahun,
        ritme=ritme,
        mulai=mulai or default_mulai,
        selesai=selesai or default_selesai,
        batas_penetapan=rules.default_deadline(tahun),
        dibuka_oleh=by,
    )
    periode.full_clean()
    try:
        with transaction.atomic():
            periode.save()
    except IntegrityError:  # two HR admins opening the same year at once
        raise ValidationError({"tahun": _("Periode SKP tahun ini sudah dibuka.")}) from None
    from .models import PeriodeEvaluasi

    PeriodeEvaluasi.objects.bulk_create(
        [
            PeriodeEvaluasi(
                periode_skp=periode, jenis=p.jenis, ke=p.ke, label=p.label, mulai=p.mulai, selesai=p.selesai
            )
            for p in rules.evaluation_periods(tahun=tahun, ritme=ritme)
        ]
    )
    return periode


# --- Creating an SKP -----------------------------------------------------------------------------------


def _clamp(day: datetime.date, start: datetime.date, end: datetime.date) -> datetime.date:
    return max(start, min(day, end))


@transaction.atomic
def skp_create(*, pegawai: Pegawai, periode: PeriodeSKP, by: User, pendekatan: str = "KUANTITATIF") -> SKP:
    """Start an employee's SKP for the part of ``periode`` in their current post.

    The span starts on the later of the year's start and the current definitive
    assignment; the pejabat penilai is resolved for today (clamped into the span).
    Writes the SKP and its seven SKPPerilaku rows."""
    if pegawai.jabatan_id is None:
        raise ValidationError(_("Pegawai belum memiliki jabatan definitif; hubungi admin kepegawaian."))
    penugasan = (
        Penugasan.objects.filter(pegawai=pegawai, jabatan_id=pegawai.jabatan_id, jenis="DEFINITIF")
        .order_by("-mulai")
        .first()
    )
    mulai = max(periode.mulai, penugasan.mulai) if penugasan else periode.mulai
    if mulai > periode.selesai:
        raise ValidationError(_("Penugasan pegawai dimulai setelah periode SKP berakhir."))
    if SKP.objects.filter(pegawai=pegawai, periode=periode, is_current=True, selesai__gte=mulai).exists():
        raise ValidationError(_("Pegawai sudah memiliki SKP untuk periode ini."))
    day = _clamp(timezone.localdate(), mulai, periode.selesai)
    penilai, atasan = superiors_on(pegawai=pegawai, day=day)
    skp = SKP.objects.create(
        instansi_id=pegawai.instansi_id,
        periode=periode,
        pegawai=pegawai,
        jabatan_id=pegawai.jabatan_id,
        pejabat_penilai=penilai,
        atasan_pejabat_penilai=atasan,
        mulai=mulai,
        selesai=periode.selesai,
        jenis=rules.jenis_skp_for(pegawai.jabatan.jenis),
        pendekatan=pendekatan,
    )
    SKPPerilaku.objects.bulk_create([SKPPerilaku(skp=skp, core_value=cv) for cv in CoreValue.objects.all()])
    return skp


# --- Editing (owner, while DRAFT or REVISI) -------------------------------------------------------------


def _require_owner_editing(skp: SKP, by: User) -> None:
    if by.pegawai_id != skp.pegawai_id:
        raise PermissionDenied(_("Hanya pemilik SKP yang dapat mengubahnya."))
    if not skp.is_editable:
        raise ValidationError(_("SKP yang sudah diajukan atau disetujui tidak dapat diubah."))


def supervisor_rhk_choices(*, skp: SKP):
    """The RHK a Utama RHK of ``skp`` may intervene: those of the pejabat penilai's
    approved SKP in the same year (the latest approved revision)."""
    if skp.pejabat_penilai_id is None:
        return RHK.objects.none()
    approved = (
        SKP.objects.filter(pegawai_id=skp.pejabat_penilai_id, periode=skp.periode, status=StatusSKP.DISETUJUI)
        .order_by("-mulai", "-revisi_ke")
        .first()
    )
    if approved is None:
        return RHK.objects.none()
    return RHK.objects.filter(skp=approved).order_by("jenis", "urutan", "pk")


def _check_rhk(rhk: RHK) -> None:
    if rhk.jenis == JenisRHK.TAMBAHAN:
        rhk.rhk_atasan = None
    elif rhk.rhk_atasan_id and not supervisor_rhk_choices(skp=rhk.skp).filter(pk=rhk.rhk_atasan_id).exists():
        raise ValidationError(
            {"rhk_atasan": _("RHK yang diintervensi harus berasal dari SKP pejabat penilai yang sudah disetujui.")}
        )
    if not rhk.skp.is_jpt:
        rhk.perspektif = ""


@transaction.atomic
def rhk_save(*, rhk: RHK, by: User) -> RHK:
    """Add or change a RHK on an editable SKP; a Utama RHK may only intervene the supervisor's approved RHK."""
    _require_owner_editing(rhk.skp, by)
    _check_rhk(rhk)
    if rhk.pk is None:
        rhk.urutan = (RHK.objects.filter(skp=rhk.skp).aggregate(m=Max("urutan"))["m"] or 0) + 1
    rhk.full_clean()
    rhk.save()
    return rhk


@transaction.atomic
def rhk_delete(*, rhk: RHK, by: User) -> None:
    _require_owner_editing(rhk.skp, by)
    rhk.delete()


@transaction.atomic
def iki_save(*, iki: IKI, by: User) -> IKI:
    """Add or change an IKI; the target must suit the SKP's pendekatan (rules §1.4.3)."""
    skp = iki.rhk.skp
    _require_owner_editing(skp, by)
    problems = rules.target_problems(
        pendekatan=skp.pendekatan, target_min=iki.target_min, target_max=iki.target_max, target_text=iki.target_text
    )
    if problems:
        raise ValidationError(problems)
    _apply_katalog(iki, skp)
    if iki.pk is None:
        iki.urutan = (IKI.objects.filter(rhk=iki.rhk).aggregate(m=Max("urutan"))["m"] or 0) + 1
    iki.full_clean()
    iki.save()
    return iki


def _apply_katalog(iki: IKI, skp: SKP) -> None:
    """An IKI taken from the indicator catalogue (issue 10 item 3) is measured the catalogue's way:
    its wording, aspect, unit and direction come from the catalogue; only the target is the
    employee's. A file or system source needs a catalogue indicator, which names it in the data."""
    if iki.katalog_id is not None:
        katalog = iki.katalog
        if katalog.instansi_id != skp.instansi_id or not katalog.aktif:
            raise ValidationError({"katalog": _("Indikator katalog tidak tersedia untuk instansi ini.")})
        iki.uraian, iki.aspek, iki.satuan, iki.arah = katalog.nama, katalog.aspek, katalog.satuan, katalog.arah
        if not iki.sumber or iki.sumber == SumberRealisasi.SENDIRI:
            iki.sumber = katalog.sumber_bawaan
    if iki.sumber in (SumberRealisasi.BERKAS, SumberRealisasi.API) and iki.katalog_id is None:
        raise ValidationError(
            {"sumber": _("Realisasi dari berkas atau sistem lain memerlukan indikator dari katalog.")}
        )
    if iki.sumber != SumberRealisasi.SENDIRI and skp.pendekatan != Pendekatan.KUANTITATIF:
        raise ValidationError({"sumber": _("Realisasi dari sumber data hanya untuk IKI kuantitatif.")})


@transaction.atomic
def iki_delete(*, iki: IKI, by: User) -> None:
    _require_owner_editing(iki.rhk.skp, by)
    iki.delete()


@transaction.atomic
def lampiran_save(*, lampiran: LampiranSKP, by: User) -> LampiranSKP:
    _require_owner_editing(lampiran.skp, by)
    lampiran.full_clean()
    lampiran.save()
    return lampiran


@transaction.atomic
def lampiran_delete(*, lampiran: LampiranSKP, by: User) -> None:
    _require_owner_editing(lampiran.skp, by)
    lampiran.delete()


@transaction.atomic
def skp_set_pendekatan(*, skp: SKP, pendekatan: str, by: User) -> SKP:
    _require_owner_editing(skp, by)
    skp.pendekatan = pendekatan
    skp.full_clean()
    skp.save(update_fields=["pendekatan"])
    return skp


@transaction.atomic
def perilaku_set_ekspektasi(*, skp: SKP, ekspektasi: dict[int, str], by: User) -> None:
    """The pejabat penilai writes the ekspektasi khusus pimpinan per core value (rules §1.4.5),
    before approving. ``ekspektasi`` maps core_value_id → text."""
    if by.pegawai_id is None or by.pegawai_id != skp.pejabat_penilai_id:
        raise PermissionDenied(_("Hanya pejabat penilai yang menetapkan ekspektasi khusus pimpinan."))
    if skp.status == StatusSKP.DISETUJUI:
        raise ValidationError(_("SKP yang sudah disetujui tidak dapat diubah."))
    rows = list(SKPPerilaku.objects.filter(skp=skp))
    for row in rows:
        row.ekspektasi_khusus = ekspektasi.get(row.core_value_id, row.ekspektasi_khusus).strip()
    for row in rows:  # few rows (seven); saved one by one so each change enters the history
        row.save(update_fields=["ekspektasi_khusus"])


# --- Workflow -------------------------------------------------------------------------------------


def _transition(skp: SKP, *, by: User, to: str, catatan: str = "") -> None:
    CatatanSKP.objects.create(skp=skp, oleh=by, dari_status=skp.status, ke_status=to, catatan=catatan)
    skp.status = to


def _notify(skp: SKP, event: str) -> None:
    from .tasks import send_skp_notification

    skp_id = skp.pk
    send_on_commit(send_skp_notification, skp_id, event)


def submission_problems_for(skp: SKP) -> list[str]:
    """Why ``skp`` cannot be submitted yet (empty when it can)."""
    allowed_parents = set(supervisor_rhk_choices(skp=skp).values_list("pk", flat=True))
    # Rules §1.4.3: kuantitatif IKI need a numeric target, kualitatif ones a described target.
    if skp.pendekatan == "KUANTITATIF":
        missing = Q(iki__target_min__isnull=True)
    else:
        missing = Q(iki__target_min__isnull=True, iki__target_text="")
    facts = [
        rules.RHKFacts(
            uraian=r.uraian,
            jenis=r.jenis,
            has_parent=r.rhk_atasan_id is not None,
            parent_is_from_supervisor=r.rhk_atasan_id in allowed_parents,
            perspektif=r.perspektif,
            jumlah_iki=r.jumlah_iki,
            iki_tanpa_target=r.iki_tanpa_target,
        )
        for r in RHK.objects.filter(skp=skp).annotate(
            jumlah_iki=Count("iki"), iki_tanpa_target=Count("iki", filter=missing)
        )
    ]
    return rules.submission_problems(jenis_skp=skp.jenis, is_top_of_chain=skp.pejabat_penilai_id is None, rhk=facts)


@transaction.atomic
def skp_submit(*, skp: SKP, by: User) -> SKP:
    """DRAFT/REVISI → DIAJUKAN by the employee; refuses an incomplete SKP with every reason.
    Queues an e-mail to the pejabat penilai."""
    skp = SKP.objects.select_for_update().get(pk=skp.pk)
    _require_owner_editing(skp, by)
    problems = submission_problems_for(skp)
    if problems:
        raise ValidationError(problems)
    if skp.pejabat_penilai_id is None:
        # Rules §1.2: the head of the instansi's SKP is set above the ASN chain; it is approved on submission.
        return _approve(skp, by=by, catatan=_("Ditetapkan tanpa pejabat penilai (pimpinan tertinggi instansi)."))
    _transition(skp, by=by, to=StatusSKP.DIAJUKAN)
    skp.diajukan_pada = timezone.now()
    skp.save(update_fields=["status", "diajukan_pada"])
    _notify(skp, "submitted")
    return skp


def _require_penilai(skp: SKP, by: User) -> None:
    if by.pegawai_id is None or by.pegawai_id != skp.pejabat_penilai_id:
        raise PermissionDenied(_("Hanya pejabat penilai pegawai ini yang dapat memutuskan SKP-nya."))
    if skp.status != StatusSKP.DIAJUKAN:
        raise ValidationError(_("Hanya SKP yang sedang diajukan yang dapat dikembalikan atau disetujui."))


@transaction.atomic
def skp_return(*, skp: SKP, by: User, catatan: str) -> SKP:
    """DIAJUKAN → REVISI by the pejabat penilai, with the comments the employee must address."""
    skp = SKP.objects.select_for_update().get(pk=skp.pk)
    _require_penilai(skp, by)
    if not catatan.strip():
        raise ValidationError({"catatan": _("Tuliskan catatan agar pegawai tahu apa yang harus diperbaiki.")})
    _transition(skp, by=by, to=StatusSKP.REVISI, catatan=catatan.strip())
    skp.save(update_fields=["status"])
    _notify(skp, "returned")
    return skp


def identity_snapshot(pegawai: Pegawai | None, *, jabatan=None) -> dict:
    """The identity block as printed (rules §1.4.2), frozen so a reprint never changes (§1.9.2).

    ``jabatan`` names the post the document is about (an SKP for an earlier post approved
    after a move must name that post, not the current one)."""
    if pegawai is None:
        return {}
    if jabatan is not None:
        jabatan_nama, unit_nama = jabatan.nama, jabatan.unit.nama
    else:
        jabatan_nama = pegawai.jabatan.nama if pegawai.jabatan_id else ""
        unit_nama = pegawai.unit.nama if pegawai.unit_id else ""
    return {
        "nama": pegawai.nama_lengkap,
        "nip": format_nip(pegawai.nip),
        "pangkat": pangkat_golongan_label(pegawai.golongan),
        "jabatan": jabatan_nama,
        "unit": unit_nama,
    }


def _approve(skp: SKP, *, by: User, catatan: str = "") -> SKP:
    people = Pegawai.objects.select_related("jabatan", "unit", "instansi").in_bulk(
        [pk for pk in (skp.pegawai_id, skp.pejabat_penilai_id, skp.atasan_pejabat_penilai_id) if pk]
    )
    skp.snapshot = {
        "instansi": people[skp.pegawai_id].instansi.nama,
        "kota": people[skp.pegawai_id].instansi.kota,
        "pegawai": identity_snapshot(people.get(skp.pegawai_id), jabatan=skp.jabatan),
        "pejabat_penilai": identity_snapshot(people.get(skp.pejabat_penilai_id)),
        "atasan_pejabat_penilai": identity_snapshot(people.get(skp.atasan_pejabat_penilai_id)),
        "disetujui_pada": timezone.localdate().isoformat(),
        # The supervisor RHK each RHK intervened, as worded at approval (rules §1.9.2: reprints never change).
        "rhk_atasan": {
            str(pk): uraian
            for pk, uraian in RHK.objects.filter(skp=skp, rhk_atasan__isnull=False).values_list(
                "pk", "rhk_atasan__uraian"
            )
        },
    }
    _transition(skp, by=by, to=StatusSKP.DISETUJUI, catatan=catatan)
    skp.disetujui_pada = timezone.now()
    skp.save(update_fields=["status", "disetujui_pada", "snapshot"])
    if skp.revisi_dari_id:
        _adopt_revision(skp)
    _notify(skp, "approved")
    return skp


@transaction.atomic
def skp_approve(*, skp: SKP, by: User) -> SKP:
    """DIAJUKAN → DISETUJUI by the pejabat penilai. The SKP is then locked; its identity blocks
    are frozen into ``snapshot``. Approving a revision retires the earlier one and moves the
    subordinates' links onto the revised RHK. Queues an e-mail to the employee."""
    skp = SKP.objects.select_for_update().get(pk=skp.pk)
    _require_penilai(skp, by)
    return _approve(skp, by=by)


def _adopt_revision(skp: SKP) -> None:
    """Subordinate RHK that intervened the earlier revision now point at its copy in this one."""
    previous = skp.revisi_dari
    SKP.objects.filter(pk=previous.pk).update(is_current=False)
    copies = dict(RHK.objects.filter(skp=skp, salinan_dari__isnull=False).values_list("salinan_dari_id", "pk"))
    for old_pk, new_pk in copies.items():  # one UPDATE per supervisor RHK (a handful), not per subordinate
        RHK.objects.filter(rhk_atasan_id=old_pk).exclude(skp=skp).update(rhk_atasan_id=new_pk)


@transaction.atomic
def skp_start_revision(*, skp: SKP, by: User, alasan: str) -> SKP:
    """Open a new revision of an approved SKP (a changed expectation mid-year, rules §1.3.1).

    The revision becomes the current (latest) row at once; the earlier one keeps its
    DISETUJUI status, stays viewable, and is what subordinates intervene until the revision
    is approved (``supervisor_rhk_choices`` takes the latest *approved* revision)."""
    skp = SKP.objects.select_for_update().get(pk=skp.pk)
    if by.pegawai_id not in (skp.pegawai_id, skp.pejabat_penilai_id):
        raise PermissionDenied(_("Hanya pegawai atau pejabat penilainya yang dapat membuka revisi SKP."))
    if skp.status != StatusSKP.DISETUJUI or not skp.is_current:
        raise ValidationError(_("Revisi hanya dapat dibuka dari SKP terakhir yang sudah disetujui."))
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan perubahan SKP.")})
    SKP.objects.filter(pk=skp.pk).update(is_current=False)
    new = SKP.objects.create(
        instansi_id=skp.instansi_id,
        periode_id=skp.periode_id,
        pegawai_id=skp.pegawai_id,
        jabatan_id=skp.jabatan_id,
        pejabat_penilai_id=skp.pejabat_penilai_id,
        atasan_pejabat_penilai_id=skp.atasan_pejabat_penilai_id,
        mulai=skp.mulai,
        selesai=skp.selesai,
        jenis=skp.jenis,
        pendekatan=skp.pendekatan,
        revisi_ke=skp.revisi_ke + 1,
        revisi_dari=skp,
    )
    _copy_contents(skp, new)
    CatatanSKP.objects.create(
        skp=new, oleh=by, dari_status=StatusSKP.DISETUJUI, ke_status=StatusSKP.DRAFT, catatan=alasan
    )
    return new


def _copy_contents(source: SKP, target: SKP) -> None:
    for rhk in RHK.objects.filter(skp=source).prefetch_related("iki"):
        copy = RHK.objects.create(
            skp=target,
            jenis=rhk.jenis,
            rhk_atasan_id=rhk.rhk_atasan_id,
            uraian=rhk.uraian,
            perspektif=rhk.perspektif,
            urutan=rhk.urutan,
            salinan_dari=rhk,
        )
        IKI.objects.bulk_create(
            [
                IKI(
                    rhk=copy,
                    aspek=i.aspek,
                    uraian=i.uraian,
                    target_min=i.target_min,
                    target_max=i.target_max,
                    satuan=i.satuan,
                    arah=i.arah,
                    target_text=i.target_text,
                    urutan=i.urutan,
                    katalog_id=i.katalog_id,
                    sumber=i.sumber,
                )
                for i in rhk.iki.all()
            ]
        )
    SKPPerilaku.objects.bulk_create(
        [
            SKPPerilaku(skp=target, core_value_id=p.core_value_id, ekspektasi_khusus=p.ekspektasi_khusus)
            for p in SKPPerilaku.objects.filter(skp=source)
        ]
    )
    LampiranSKP.objects.bulk_create(
        [LampiranSKP(skp=target, jenis=x.jenis, uraian=x.uraian, urutan=x.urutan) for x in source.lampiran.all()]
    )


# --- Cascading: the matriks peran hasil ---------------------------------------------------------------


@dataclass
class DistributionResult:
    created: list[Pegawai] = field(default_factory=list)
    already: list[Pegawai] = field(default_factory=list)
    locked: list[Pegawai] = field(default_factory=list)


@transaction.atomic
def rhk_distribute(*, rhk: RHK, to: list[Pegawai], by: User) -> DistributionResult:
    """Assign one of the supervisor's approved RHK to several subordinates at once (matriks
    peran hasil, rules §1.4.3 direct cascading): drafts an intervening Utama RHK in each
    subordinate's SKP for the same year, creating the SKP when they have none yet.
    Subordinates whose SKP is submitted or approved are reported, not changed."""
    source_skp = rhk.skp
    if by.pegawai_id != source_skp.pegawai_id:
        raise PermissionDenied(_("Hanya pemilik RHK yang dapat membaginya."))
    if source_skp.status != StatusSKP.DISETUJUI:
        raise ValidationError(_("RHK hanya dapat dibagikan dari SKP yang sudah disetujui."))
    result = DistributionResult()
    outsiders = [p for p in to if p.pejabat_penilai_id != by.pegawai_id]
    if outsiders:
        raise ValidationError(
            _("%(nama)s bukan bawahan langsung Anda.") % {"nama": ", ".join(p.nama_lengkap for p in outsiders)}
        )
    current = {
        s.pegawai_id: s
        for s in SKP.objects.filter(pegawai__in=to, periode=source_skp.periode, is_current=True).order_by("mulai")
    }
    for pegawai in to:
        skp = current.get(pegawai.pk) or skp_create(pegawai=pegawai, periode=source_skp.periode, by=by)
        if RHK.objects.filter(skp=skp, rhk_atasan=rhk).exists():
            result.already.append(pegawai)
        elif not skp.is_editable:
            result.locked.append(pegawai)
        else:
            urutan = (RHK.objects.filter(skp=skp).aggregate(m=Max("urutan"))["m"] or 0) + 1
            RHK.objects.create(skp=skp, jenis=JenisRHK.UTAMA, rhk_atasan=rhk, uraian=rhk.uraian, urutan=urutan)
            result.created.append(pegawai)
    return result


# --- A move mid-year ------------------------------------------------------------------------------


@transaction.atomic
def skp_close_on_move(*, pegawai_id: int, move_date: datetime.date) -> int:
    """Rules §1.10: a mutasi/promosi ends the running SKP the day before the move; the
    new SKP (with the new pejabat penilai) is started from the new post. Returns the
    number of SKP closed; both stay visible."""
    running = SKP.objects.filter(pegawai_id=pegawai_id, mulai__lt=move_date, selesai__gte=move_date)
    return running.update(selesai=move_date - datetime.timedelta(days=1))
