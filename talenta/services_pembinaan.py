"""Rencana pembinaan (issue 6 item 5; rules §5.2): the training catalogue, scheduled trainings,
enrolments from training recommendations and attendance with the JP it earns.

Single saves keep their model history (django-simple-history). Enrolment and attendance are
written in bulk, which skips model history, so each batch records its own audit event: a JobRun
row (who, what, when, how many rows) of jenis JENIS_PENDAFTARAN or JENIS_PRESENSI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import JobRun, StatusJob

from . import rules
from .models import (
    JadwalPelatihan,
    JenisRekomendasi,
    Kompetensi,
    Pelatihan,
    PesertaPelatihan,
    Rekomendasi,
    StatusPeserta,
)

JENIS_PENDAFTARAN = "pelatihan_pendaftaran"
JENIS_PRESENSI = "pelatihan_presensi"


def _audit(*, jadwal: JadwalPelatihan, jenis: str, rows: int, by, detail: dict) -> JobRun:
    now = timezone.now()
    return JobRun.objects.create(
        instansi_id=jadwal.instansi_id,
        jenis=jenis,
        parameter={"jadwal_id": jadwal.pk, **detail},
        status=StatusJob.SELESAI,
        total=rows,
        selesai=rows,
        baris=rows,
        dibuat_oleh=by,
        dimulai_pada=now,
        selesai_pada=now,
    )


def pelatihan_save(*, pelatihan: Pelatihan, kompetensi: Iterable[Kompetensi], by) -> Pelatihan:
    """Save a catalogue entry and the competencies it develops. The form (bentuk) must belong to
    the path (jenis) as listed in rules §5.2; competencies must be national or the instansi's own."""
    if pelatihan.bentuk not in rules.BENTUK_PELATIHAN.get(pelatihan.jenis, ()):
        raise ValidationError({"bentuk": _("Bentuk pelatihan ini tidak termasuk jalur yang dipilih.")})
    kompetensi = list(kompetensi)
    if any(k.instansi_id not in (None, pelatihan.instansi_id) for k in kompetensi):
        raise ValidationError({"kompetensi": _("Kompetensi tidak dikenal di instansi ini.")})
    with transaction.atomic():
        pelatihan.save()
        pelatihan.kompetensi.set(kompetensi)
    return pelatihan


def jadwal_save(*, jadwal: JadwalPelatihan, by) -> JadwalPelatihan:
    """Create or change a scheduled training. Refused when it ends before it starts, when the
    training belongs to another instansi, or when the quota falls below those already enrolled."""
    errors = {}
    if jadwal.selesai < jadwal.mulai:
        errors["selesai"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if jadwal.pelatihan.instansi_id != jadwal.instansi_id:
        errors["pelatihan"] = _("Pelatihan tidak ditemukan di katalog instansi ini.")
    if jadwal.pk is not None:
        enrolled = PesertaPelatihan.objects.filter(jadwal_id=jadwal.pk).count()
        if jadwal.kuota < enrolled:
            errors["kuota"] = _("Kuota tidak boleh kurang dari %(n)s peserta yang sudah terdaftar.") % {"n": enrolled}
    if errors:
        raise ValidationError(errors)
    if jadwal.pk is None:
        jadwal.dibuat_oleh = by
    jadwal.save()
    return jadwal


def peserta_enrol(*, jadwal: JadwalPelatihan, rekomendasi_ids: Iterable[int], by) -> int:
    """Enrol the employees of the selected training recommendations (of the schedule's instansi)
    in ``jadwal``, in one insert; those already enrolled are skipped. Refused as a whole when the
    quota would be exceeded. The schedule row is locked, so two HR admins cannot overfill it.
    Writes PesertaPelatihan rows and one audit event; returns how many were enrolled."""
    ids = list(rekomendasi_ids)
    with transaction.atomic():
        jadwal = JadwalPelatihan.objects.select_for_update().get(pk=jadwal.pk)
        recs = Rekomendasi.objects.filter(
            pk__in=ids, instansi_id=jadwal.instansi_id, jenis=JenisRekomendasi.PELATIHAN
        ).values_list("pk", "pegawai_id")
        enrolled = set(PesertaPelatihan.objects.filter(jadwal=jadwal).values_list("pegawai_id", flat=True))
        new: dict[int, int] = {}
        for rec_id, pegawai_id in recs:
            if pegawai_id not in enrolled:
                new.setdefault(pegawai_id, rec_id)
        if len(enrolled) + len(new) > jadwal.kuota:
            raise ValidationError(
                _("Kuota %(kuota)s peserta terlampaui: sudah %(ada)s terdaftar, %(baru)s dipilih.")
                % {"kuota": jadwal.kuota, "ada": len(enrolled), "baru": len(new)}
            )
        PesertaPelatihan.objects.bulk_create(
            [
                PesertaPelatihan(instansi_id=jadwal.instansi_id, jadwal=jadwal, pegawai_id=p, rekomendasi_id=r)
                for p, r in new.items()
            ]
        )
        _audit(jadwal=jadwal, jenis=JENIS_PENDAFTARAN, rows=len(new), by=by, detail={"pegawai_ids": sorted(new)})
    return len(new)


def peserta_presensi_record(*, jadwal: JadwalPelatihan, status_by_peserta: Mapping[int, str], by) -> int:
    """Record attendance: set each listed enrolment of ``jadwal`` to its status and its JP earned
    (rules.jp_diperoleh), in one bulk update, with one audit event. Enrolments of other schedules
    are ignored. Attendance cannot be recorded before the training starts. Returns rows changed."""
    if any(s not in StatusPeserta.values for s in status_by_peserta.values()):
        raise ValidationError(_("Status kehadiran tidak dikenal."))
    if jadwal.mulai > timezone.localdate() and any(s != StatusPeserta.TERDAFTAR for s in status_by_peserta.values()):
        raise ValidationError(_("Kehadiran baru dapat dicatat mulai hari pertama pelatihan."))
    changed = []
    with transaction.atomic():
        for peserta in PesertaPelatihan.objects.select_for_update().filter(
            jadwal=jadwal, pk__in=list(status_by_peserta)
        ):
            status = status_by_peserta[peserta.pk]
            jp = rules.jp_diperoleh(status=status, jp_pelatihan=jadwal.pelatihan.jp)
            if (peserta.status, peserta.jp) != (status, jp):
                peserta.status, peserta.jp = status, jp
                changed.append(peserta)
        PesertaPelatihan.objects.bulk_update(changed, ["status", "jp"])
        _audit(
            jadwal=jadwal,
            jenis=JENIS_PRESENSI,
            rows=len(changed),
            by=by,
            detail={"status": {str(p.pk): p.status for p in changed}},
        )
    return len(changed)


def peserta_remove(*, peserta: PesertaPelatihan, by) -> None:
    """Withdraw an enrolment that has no attendance yet (the history keeps the row)."""
    if peserta.status != StatusPeserta.TERDAFTAR:
        raise ValidationError(_("Peserta yang sudah dicatat kehadirannya tidak dapat dihapus."))
    peserta._change_reason = "dibatalkan"
    peserta.delete()
