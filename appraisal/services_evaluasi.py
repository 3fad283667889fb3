"""Writes for evaluation: realisations and evidence, dialog kinerja, the organisation's
achievement, the supervisor's ratings and predikat, finalisation, 360° feedback and objections.

Every service checks who may act and from which state, writes in a transaction, keeps the
audit trail (django-simple-history) and queues mail after commit. A FINAL evaluation changes
only through ``keberatan_decide``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Pegawai, UnitKerja, User
from ops.outbox import send_on_commit

from . import rules
from .models import (
    IKI,
    RHK,
    SKP,
    BuktiDukung,
    CapaianOrganisasi,
    CatatanEvaluasi,
    CoreValue,
    DialogKinerja,
    Evaluasi,
    Jawaban360,
    Keberatan,
    PeriodeEvaluasi,
    PredikatOrganisasi,
    Realisasi,
    StatusEvaluasi,
    StatusKeberatan,
    StatusSKP,
    SumberRealisasi,
    Undangan360,
)
from .services import identity_snapshot

MIN_360_RATERS = 3


def _pegawai_id(by: User) -> int:
    if by.pegawai_id is None:
        raise PermissionDenied
    return by.pegawai_id


def _overlaps(skp: SKP, periode: PeriodeEvaluasi) -> bool:
    return skp.mulai <= periode.selesai and periode.mulai <= skp.selesai


def _evaluasi_is_final(skp: SKP, periode: PeriodeEvaluasi) -> bool:
    return Evaluasi.objects.filter(skp=skp, periode_evaluasi=periode, status=StatusEvaluasi.FINAL).exists()


# --- Realisations and evidence (issue 4 item 1) -----------------------------------------------------


def _check_realisasi_allowed(iki: IKI, periode: PeriodeEvaluasi, by: User) -> SKP:
    skp = iki.rhk.skp
    if _pegawai_id(by) != skp.pegawai_id:
        raise PermissionDenied(_("Hanya pemilik SKP yang mencatat realisasinya."))
    if skp.status != StatusSKP.DISETUJUI:
        raise ValidationError(_("Realisasi dicatat setelah SKP disetujui."))
    if periode.periode_skp_id != skp.periode_id or not _overlaps(skp, periode):
        raise ValidationError(_("Periode evaluasi ini tidak termasuk dalam masa SKP."))
    if _evaluasi_is_final(skp, periode):
        raise ValidationError(_("Evaluasi periode ini sudah final; realisasi tidak dapat diubah."))
    return skp


@transaction.atomic
def realisasi_save(*, iki: IKI, periode: PeriodeEvaluasi, nilai, uraian: str, by: User) -> Realisasi:
    """Record or change the employee's own realisation of an IKI for a period.

    A kuantitatif IKI needs a number; a value that came from a source (file, another system,
    the survey) cannot be overwritten by the employee."""
    skp = _check_realisasi_allowed(iki, periode, by)
    if iki.is_sourced:
        raise ValidationError(
            _("Realisasi IKI ini diambil dari %(sumber)s dan tidak dapat diisi pegawai.")
            % {"sumber": iki.get_sumber_display().lower()}
        )
    if skp.pendekatan == "KUANTITATIF" and nilai is None:
        raise ValidationError({"nilai": _("Realisasi IKI kuantitatif harus berupa angka.")})
    if nilai is not None and nilai < 0:
        raise ValidationError({"nilai": _("Realisasi tidak boleh negatif.")})
    realisasi, _created = Realisasi.objects.select_for_update().get_or_create(iki=iki, periode_evaluasi=periode)
    if realisasi.sumber != SumberRealisasi.SENDIRI:
        raise ValidationError(
            _("Realisasi ini berasal dari %(sumber)s dan tidak dapat diubah pegawai.")
            % {"sumber": realisasi.get_sumber_display().lower()}
        )
    realisasi.nilai, realisasi.uraian = nilai, uraian.strip()
    realisasi.diverifikasi = None  # a changed value needs verifying again
    realisasi.full_clean()
    realisasi.save()
    return realisasi


@transaction.atomic
def bukti_add(*, realisasi: Realisasi, by: User, berkas: UploadedFile | None = None, tautan: str = "") -> BuktiDukung:
    """Attach evidence: a file checked by its content (PDF, PNG, JPEG or an Office document) and
    size, stored under a random name outside the static tree; or a link."""
    _check_realisasi_allowed(realisasi.iki, realisasi.periode_evaluasi, by)
    bukti = BuktiDukung(realisasi=realisasi, diunggah_oleh=by, tautan=tautan.strip())
    if berkas is not None:
        if berkas.size > rules.MAX_BUKTI_BYTES:
            raise ValidationError({"berkas": _("Berkas terlalu besar (maksimal 5 MB).")})
        head = berkas.read(16)
        berkas.seek(0)
        content_type = rules.sniff_content_type(head)
        if content_type is None:
            raise ValidationError(
                {"berkas": _("Jenis berkas tidak diizinkan. Unggah PDF, JPG, PNG, atau dokumen Office.")}
            )
        bukti.berkas, bukti.nama, bukti.content_type, bukti.ukuran = (
            berkas,
            berkas.name[:255],
            content_type,
            berkas.size,
        )
    elif not bukti.tautan:
        raise ValidationError(_("Pilih berkas atau isi tautan bukti dukung."))
    bukti.full_clean()
    bukti.save()
    return bukti


@transaction.atomic
def realisasi_verify(*, realisasi: Realisasi, verified: bool, by: User) -> Realisasi:
    """The pejabat penilai marks a self-reported value verified against its evidence, or not."""
    skp = realisasi.iki.rhk.skp
    if _pegawai_id(by) != skp.pejabat_penilai_id:
        raise PermissionDenied(_("Hanya pejabat penilai yang memverifikasi realisasi."))
    if _evaluasi_is_final(skp, realisasi.periode_evaluasi):
        raise ValidationError(_("Evaluasi periode ini sudah final; verifikasi tidak dapat diubah."))
    if realisasi.sumber != SumberRealisasi.SENDIRI:
        raise ValidationError(_("Hanya realisasi yang dilaporkan sendiri yang diverifikasi pejabat penilai."))
    realisasi.diverifikasi, realisasi.diverifikasi_oleh_id = verified, by.pegawai_id
    realisasi.save(update_fields=["diverifikasi", "diverifikasi_oleh", "diubah_pada"])
    return realisasi


# --- Dialog kinerja (issue 4 item 2, rules §1.3.1) -------------------------------------------------


@transaction.atomic
def dialog_add(
    *, skp: SKP, jenis: str, catatan: str, by: User, rhk: RHK | None = None, core_value=None
) -> DialogKinerja:
    """The pejabat penilai records feedback on a RHK or a core value, at any time (the employee
    sees it on the dialog page and the evaluation screen, and acknowledges it there)."""
    if _pegawai_id(by) != skp.pejabat_penilai_id:
        raise PermissionDenied(_("Hanya pejabat penilai yang memberi umpan balik pada SKP ini."))
    if rhk is not None and rhk.skp_id != skp.pk:
        raise ValidationError({"rhk": _("RHK tersebut bukan bagian dari SKP ini.")})
    if not catatan.strip():
        raise ValidationError({"catatan": _("Tuliskan isi umpan balik.")})
    dialog = DialogKinerja(
        skp=skp, jenis=jenis, catatan=catatan.strip(), oleh_id=by.pegawai_id, rhk=rhk, core_value=core_value
    )
    dialog.full_clean()
    dialog.save()
    return dialog


@transaction.atomic
def dialog_acknowledge(*, dialog: DialogKinerja, by: User) -> DialogKinerja:
    """The employee confirms they have read the feedback."""
    if _pegawai_id(by) != dialog.skp.pegawai_id:
        raise PermissionDenied
    if dialog.diakui_pada is None:
        dialog.diakui_pada = timezone.now()
        dialog.save(update_fields=["diakui_pada"])
    return dialog


# --- Capaian Kinerja Organisasi and the distribution curve (issue 4 item 4, rules §1.7) ---------------


def heads_of(unit: UnitKerja) -> set[int]:
    """Pegawai ids of the heads of ``unit`` and of every unit above it (who may set its achievement)."""
    ancestor_paths = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/"]
    return set(
        Pegawai.objects.filter(
            jabatan__is_kepala_unit=True, jabatan__unit__path__in=ancestor_paths, instansi_id=unit.instansi_id
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def capaian_set(
    *, unit: UnitKerja, periode: PeriodeEvaluasi, predikat: str, catatan: str, by: User
) -> CapaianOrganisasi:
    """The head of the unit (or of a unit above it) sets its Capaian Kinerja Organisasi for a period."""
    if by.pegawai_id not in heads_of(unit):
        raise PermissionDenied(_("Hanya pimpinan unit yang menetapkan capaian kinerja organisasi."))
    if predikat not in PredikatOrganisasi.values:
        raise ValidationError({"predikat": _("Pilih capaian kinerja organisasi.")})
    if periode.periode_skp.instansi_id != unit.instansi_id:
        raise ValidationError(_("Periode evaluasi ini bukan milik instansi unit tersebut."))
    catatan = catatan.strip()
    if len(catatan) > CapaianOrganisasi._meta.get_field("catatan").max_length:
        raise ValidationError({"catatan": _("Catatan terlalu panjang (maksimal 2.000 karakter).")})
    capaian, _created = CapaianOrganisasi.objects.update_or_create(
        unit=unit, periode_evaluasi=periode, defaults={"predikat": predikat, "catatan": catatan, "ditetapkan_oleh": by}
    )
    return capaian


@dataclass
class DistribusiStatus:
    unit: UnitKerja | None
    capaian: str  # "" when not set
    counts: dict[str, int]
    checks: list[rules.DistribusiCheck]
    small_unit: bool

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def capaian_for(*, unit: UnitKerja, periode: PeriodeEvaluasi) -> CapaianOrganisasi | None:
    """The achievement that governs ``unit``: its own, else the nearest unit above that has one."""
    ancestor_paths = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/"]
    return (
        CapaianOrganisasi.objects.filter(periode_evaluasi=periode, unit__path__in=ancestor_paths)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )


def distribution_status(
    *, unit: UnitKerja, periode: PeriodeEvaluasi, extra: str = "", exclude: int | None = None
) -> DistribusiStatus:
    """How the unit governing ``unit`` stands against its curve (SE MenPANRB 3/2023, rules §1.7.3):
    the predikat given so far in its subtree for the period, plus ``extra`` (the one being set
    now, replacing evaluation ``exclude``). Three queries whatever the unit size (capaian, counts, unit size)."""
    capaian = capaian_for(unit=unit, periode=periode)
    scope = capaian.unit if capaian else unit
    rows = (
        Evaluasi.objects.filter(periode_evaluasi=periode, skp__pegawai__unit__path__startswith=scope.path)
        .exclude(predikat="")
        .exclude(pk=exclude)
        .values("predikat")
        .annotate(n=Count("pk"))
    )
    counts = {row["predikat"]: row["n"] for row in rows}
    if extra:
        counts[extra] = counts.get(extra, 0) + 1
    checks = rules.distribution_checks(capaian.predikat, counts) if capaian else []
    # "Small" is about the unit's people, not how many have been rated so far.
    size = Pegawai.objects.filter(unit__path__startswith=scope.path, status="AKTIF").count()
    return DistribusiStatus(scope, capaian.predikat if capaian else "", counts, checks, rules.is_small_unit(size))


# --- The supervisor's evaluation (issue 4 items 3, 5, 8) --------------------------------------------------


def _require_penilai(evaluasi: Evaluasi, by: User) -> None:
    if _pegawai_id(by) != evaluasi.skp.pejabat_penilai_id:
        raise PermissionDenied(_("Hanya pejabat penilai pegawai ini yang dapat menilai."))
    if evaluasi.is_final:
        raise ValidationError(_("Evaluasi sudah final dan tidak dapat diubah; gunakan jalur keberatan."))


@transaction.atomic
def evaluasi_open(*, skp: SKP, periode: PeriodeEvaluasi, by: User) -> Evaluasi:
    """The evaluation of an approved SKP for a period (created on first use by the pejabat penilai)."""
    if _pegawai_id(by) != skp.pejabat_penilai_id:
        raise PermissionDenied(_("Hanya pejabat penilai pegawai ini yang dapat menilai."))
    if skp.status != StatusSKP.DISETUJUI:
        raise ValidationError(_("SKP belum disetujui, sehingga belum dapat dievaluasi."))
    if periode.periode_skp_id != skp.periode_id or not _overlaps(skp, periode):
        raise ValidationError(_("Periode evaluasi ini tidak termasuk dalam masa SKP."))
    evaluasi, _created = Evaluasi.objects.get_or_create(
        skp=skp, periode_evaluasi=periode, defaults={"instansi_id": skp.instansi_id, "dinilai_oleh_id": by.pegawai_id}
    )
    return evaluasi


@transaction.atomic
def evaluasi_save(
    *,
    evaluasi: Evaluasi,
    versi: int,
    by: User,
    rating_hasil_kerja: str = "",
    rating_perilaku_kerja: str = "",
    catatan_rekomendasi: str = "",
    umpan_balik_rhk: dict[int, str] | None = None,
    umpan_balik_perilaku: dict[int, str] | None = None,
    penilaian_rhk: dict[int, str] | None = None,
    penilaian_perilaku: dict[int, str] | None = None,
    nilai_skp=None,
    nilai_perilaku=None,
    inovasi_bermanfaat: bool = False,
) -> Evaluasi:
    """Save the supervisor's draft evaluation. The predikat is computed from the ratings (rules
    §1.6.2), never taken from input. ``versi`` is the version the form was loaded at: if someone
    saved in between, the save is refused so neither change is silently lost.

    ``penilaian_rhk`` / ``penilaian_perilaku`` (issue 10) are the supervisor's own view per RHK and
    per core value, set beside the employee's self-assessment; stored on CatatanEvaluasi.penilaian
    with the feedback. Left as they are when not given."""
    _require_penilai(evaluasi, by)
    for field, rating in (("rating_hasil_kerja", rating_hasil_kerja), ("rating_perilaku_kerja", rating_perilaku_kerja)):
        if rating and rating not in rules.RATINGS:
            raise ValidationError({field: _("Pilih Di Atas, Sesuai, atau Di Bawah Ekspektasi.")})
    for rating in [*(penilaian_rhk or {}).values(), *(penilaian_perilaku or {}).values()]:
        if rating and rating not in rules.RATINGS:
            raise ValidationError(_("Pilih Di Atas, Sesuai, atau Di Bawah Ekspektasi."))
    updated = Evaluasi.objects.filter(pk=evaluasi.pk, versi=versi, status=StatusEvaluasi.DRAFT).update(
        versi=F("versi") + 1
    )
    if not updated:
        raise ValidationError(
            _("Evaluasi ini baru saja diubah oleh orang lain. Muat ulang halaman untuk melihat perubahan terbaru.")
        )
    evaluasi.refresh_from_db()
    evaluasi.rating_hasil_kerja, evaluasi.rating_perilaku_kerja = rating_hasil_kerja, rating_perilaku_kerja
    evaluasi.predikat = (
        rules.predikat(rating_hasil_kerja, rating_perilaku_kerja)
        if rating_hasil_kerja and rating_perilaku_kerja
        else ""
    )
    evaluasi.catatan_rekomendasi = catatan_rekomendasi
    evaluasi.dinilai_oleh_id = by.pegawai_id
    evaluasi.inovasi_bermanfaat = inovasi_bermanfaat
    evaluasi.nilai_skp, evaluasi.nilai_perilaku = nilai_skp, nilai_perilaku
    _apply_pp30(evaluasi)
    evaluasi.full_clean()
    evaluasi.save()
    _save_feedback(
        evaluasi, umpan_balik_rhk or {}, umpan_balik_perilaku or {}, penilaian_rhk or {}, penilaian_perilaku or {}
    )
    _rescore(evaluasi)
    return evaluasi


def _apply_pp30(evaluasi: Evaluasi) -> None:
    """PP 30/2019 numeric mode (rules §2.2–2.3), only where the instansi enables it."""
    instansi = evaluasi.skp.instansi
    if not instansi.mode_numerik_pp30 or evaluasi.nilai_skp is None or evaluasi.nilai_perilaku is None:
        evaluasi.nilai_kinerja, evaluasi.predikat_numerik = None, ""
        return
    nilai = rules.nilai_kinerja_pp30(
        nilai_skp=evaluasi.nilai_skp, nilai_perilaku=evaluasi.nilai_perilaku, uses_360=instansi.uses_360
    )
    evaluasi.nilai_kinerja = nilai.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    evaluasi.predikat_numerik = rules.predikat_pp30(nilai, inovasi_bermanfaat=evaluasi.inovasi_bermanfaat)


def _save_feedback(
    evaluasi: Evaluasi,
    per_rhk: dict[int, str],
    per_value: dict[int, str],
    rating_rhk: dict[int, str] | None = None,
    rating_value: dict[int, str] | None = None,
) -> None:
    """Feedback text and (issue 10) the supervisor's own rating per RHK and per core value. A target
    missing from a dict keeps what it has; a row is created only when there is something to keep."""
    rating_rhk, rating_value = rating_rhk or {}, rating_value or {}
    existing = {(c.rhk_id, c.core_value_id): c for c in CatatanEvaluasi.objects.filter(evaluasi=evaluasi)}
    valid_rhk = set(RHK.objects.filter(skp=evaluasi.skp).values_list("pk", flat=True))
    valid_cv = set(CoreValue.objects.values_list("pk", flat=True)) if per_value or rating_value else set()
    wanted: dict[tuple, dict] = {}
    for key, texts, ratings, valid in (
        ((lambda pk: (pk, None)), per_rhk, rating_rhk, valid_rhk),
        ((lambda pk: (None, pk)), per_value, rating_value, valid_cv),
    ):
        for pk in (set(texts) | set(ratings)) & valid:
            change = {}
            if pk in texts:
                change["umpan_balik"] = texts[pk].strip()
            if pk in ratings:
                change["penilaian"] = ratings[pk] or ""
            wanted[key(pk)] = change
    for (rhk_id, cv_id), change in wanted.items():  # at most ~15 rows; each saved so it enters the history
        row = existing.get((rhk_id, cv_id))
        if row is None:
            if any(change.values()):
                CatatanEvaluasi.objects.create(evaluasi=evaluasi, rhk_id=rhk_id, core_value_id=cv_id, **change)
            continue
        changed = [name for name, value in change.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, change[name])
            row.save(update_fields=changed)


@transaction.atomic
def evaluasi_finalize(*, evaluasi: Evaluasi, by: User, justifikasi: str = "", versi: int | None = None) -> Evaluasi:
    """Sign the evaluation: both ratings must be set; the unit's distribution curve is checked
    with this predikat included (rules §1.7.3). A breach needs a written justification (WARN) or
    is refused (BLOCK) — except in a small unit, which may always justify. Freezes the identity
    blocks and the organisation's achievement; notifies the employee. ``versi``, when given, is the
    version the supervisor saw: a finalisation of ratings someone changed since is refused."""
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of an outer join (pegawai.unit).
    evaluasi = (
        Evaluasi.objects.select_for_update(of=("self",))
        .select_related("skp__pegawai__unit", "skp__instansi")
        .get(pk=evaluasi.pk)
    )
    _require_penilai(evaluasi, by)
    if versi is not None and versi != evaluasi.versi:
        raise ValidationError(
            _("Evaluasi ini baru saja diubah oleh orang lain. Muat ulang halaman untuk melihat perubahan terbaru.")
        )
    if not (evaluasi.rating_hasil_kerja and evaluasi.rating_perilaku_kerja):
        raise ValidationError(_("Isi Rating Hasil Kerja dan Rating Perilaku Kerja sebelum memfinalkan."))
    pegawai = evaluasi.skp.pegawai
    status = None
    if pegawai.unit_id:
        status = distribution_status(
            unit=pegawai.unit, periode=evaluasi.periode_evaluasi, extra=evaluasi.predikat, exclude=evaluasi.pk
        )
        if not status.ok:
            if evaluasi.skp.instansi.distribusi_mode == "BLOCK" and not status.small_unit:
                raise ValidationError(
                    _(
                        "Predikat ini membuat unit menyimpang dari pola distribusi (SE MenPANRB 3/2023); finalisasi ditolak."
                    )
                )
            if not justifikasi.strip():
                raise ValidationError(
                    {
                        "justifikasi": _(
                            "Unit menyimpang dari pola distribusi. Tuliskan justifikasi sebelum memfinalkan."
                        )
                    }
                )
    evaluasi.justifikasi_distribusi = justifikasi.strip()
    evaluasi.capaian_organisasi = status.capaian if status else ""
    evaluasi.snapshot = _evaluation_snapshot(evaluasi)
    evaluasi.status = StatusEvaluasi.FINAL
    evaluasi.difinalkan_pada = timezone.now()
    evaluasi.versi += 1
    evaluasi.save()
    _notify(evaluasi, "finalized")
    _rescore(evaluasi)
    return evaluasi


def _evaluation_snapshot(evaluasi: Evaluasi) -> dict:
    skp = evaluasi.skp
    people = Pegawai.objects.select_related("jabatan", "unit").in_bulk(
        [pk for pk in (skp.pegawai_id, skp.pejabat_penilai_id, skp.atasan_pejabat_penilai_id) if pk]
    )
    return {
        "instansi": skp.instansi.nama,
        "kota": skp.instansi.kota,
        "pegawai": identity_snapshot(people.get(skp.pegawai_id), jabatan=skp.jabatan),
        "pejabat_penilai": identity_snapshot(people.get(skp.pejabat_penilai_id)),
        "atasan_pejabat_penilai": identity_snapshot(people.get(skp.atasan_pejabat_penilai_id)),
        "difinalkan_pada": timezone.localdate().isoformat(),
    }


def _rescore(evaluasi: Evaluasi) -> None:
    """Re-run the employee's period figures (reports.HasilKinerja) after their evaluation changed."""
    from reports.tasks import pegawai_scores_task

    pegawai_id, periode_id = evaluasi.skp.pegawai_id, evaluasi.periode_evaluasi_id
    send_on_commit(pegawai_scores_task, pegawai_id, periode_id)


def _notify(evaluasi: Evaluasi, event: str) -> None:
    from .tasks import send_evaluation_notification

    pk = evaluasi.pk
    send_on_commit(send_evaluation_notification, pk, event)


@transaction.atomic
def evaluasi_acknowledge(*, evaluasi: Evaluasi, by: User) -> Evaluasi:
    """The employee records receiving the final result (the 14-day objection window counts from the result)."""
    if _pegawai_id(by) != evaluasi.skp.pegawai_id:
        raise PermissionDenied
    if not evaluasi.is_final:
        raise ValidationError(_("Evaluasi belum final."))
    if evaluasi.diterima_pada is None:
        evaluasi.diterima_pada = timezone.now()
        evaluasi.save(update_fields=["diterima_pada"])
    return evaluasi


# --- Keberatan (issue 4 item 7, rules §2.4) -----------------------------------------------------------------


def keberatan_deadline(evaluasi: Evaluasi) -> datetime.date | None:
    """The last day an objection may be lodged: 14 days after the result was given (PP 30/2019 Ps 59)."""
    if evaluasi.difinalkan_pada is None:
        return None
    return rules.keberatan_deadline(timezone.localtime(evaluasi.difinalkan_pada).date())


def keberatan_window_open(evaluasi: Evaluasi, today: datetime.date | None = None) -> bool:
    deadline = keberatan_deadline(evaluasi)
    return deadline is not None and (today or timezone.localdate()) <= deadline


@transaction.atomic
def keberatan_submit(*, evaluasi: Evaluasi, alasan: str, by: User) -> Keberatan:
    """The employee objects, with reasons, to the atasan pejabat penilai within 14 days."""
    # Lock the evaluation so two simultaneous submissions meet "already lodged", not an IntegrityError.
    evaluasi = Evaluasi.objects.select_for_update().select_related("skp").get(pk=evaluasi.pk)
    if _pegawai_id(by) != evaluasi.skp.pegawai_id:
        raise PermissionDenied(_("Hanya pegawai yang dinilai yang dapat mengajukan keberatan."))
    if not evaluasi.is_final:
        raise ValidationError(_("Keberatan hanya dapat diajukan atas evaluasi yang sudah final."))
    if not keberatan_window_open(evaluasi):
        raise ValidationError(_("Batas waktu keberatan (14 hari sejak hasil diterima) sudah lewat."))
    if Keberatan.objects.filter(evaluasi=evaluasi).exists():
        raise ValidationError(_("Keberatan atas evaluasi ini sudah pernah diajukan."))
    if evaluasi.skp.atasan_pejabat_penilai_id is None:
        raise ValidationError(_("Tidak ada atasan pejabat penilai yang dapat memutus keberatan ini."))
    if not alasan.strip():
        raise ValidationError({"alasan": _("Tuliskan alasan keberatan.")})
    keberatan = Keberatan.objects.create(
        evaluasi=evaluasi,
        alasan=alasan.strip(),
        rating_hasil_kerja_asli=evaluasi.rating_hasil_kerja,
        rating_perilaku_kerja_asli=evaluasi.rating_perilaku_kerja,
        predikat_asli=evaluasi.predikat,
    )
    _notify(evaluasi, "objected")
    return keberatan


def _locked(keberatan: Keberatan) -> Keberatan:
    return Keberatan.objects.select_for_update().select_related("evaluasi__skp").get(pk=keberatan.pk)


def _require_atasan(keberatan: Keberatan, by: User) -> None:
    if _pegawai_id(by) != keberatan.evaluasi.skp.atasan_pejabat_penilai_id:
        raise PermissionDenied(_("Keberatan diputus oleh atasan pejabat penilai."))
    if keberatan.is_decided:
        raise ValidationError(_("Keberatan sudah diputus; keputusan bersifat final."))


@transaction.atomic
def keberatan_request_clarification(*, keberatan: Keberatan, by: User) -> Keberatan:
    """The atasan pejabat penilai asks the pejabat penilai and the employee to explain."""
    # Re-read under lock: a stale object must not turn a decided objection back into KLARIFIKASI.
    keberatan = _locked(keberatan)
    _require_atasan(keberatan, by)
    keberatan.status = StatusKeberatan.KLARIFIKASI
    keberatan.save(update_fields=["status"])
    return keberatan


@transaction.atomic
def keberatan_clarify(*, keberatan: Keberatan, text: str, by: User) -> Keberatan:
    """The pejabat penilai or the employee gives their explanation, once the atasan pejabat
    penilai has asked for it (rules §2.4 step 3); each may rewrite their own until the decision."""
    keberatan = _locked(keberatan)
    skp = keberatan.evaluasi.skp
    if by.pegawai_id == skp.pejabat_penilai_id:
        field = "klarifikasi_penilai"
    elif by.pegawai_id == skp.pegawai_id:
        field = "klarifikasi_pegawai"
    else:
        raise PermissionDenied
    if keberatan.is_decided:
        raise ValidationError(_("Keberatan sudah diputus; keputusan bersifat final."))
    if keberatan.status != StatusKeberatan.KLARIFIKASI:
        raise ValidationError(_("Klarifikasi diberikan setelah atasan pejabat penilai memintanya."))
    if not text.strip():
        raise ValidationError({"text": _("Tuliskan klarifikasi.")})
    # Only this side's field: saving both would overwrite the other side's concurrent answer.
    setattr(keberatan, field, text.strip())
    keberatan.save(update_fields=[field])
    return keberatan


@transaction.atomic
def keberatan_decide(
    *,
    keberatan: Keberatan,
    by: User,
    ubah: bool,
    pertimbangan: str,
    rating_hasil_kerja: str = "",
    rating_perilaku_kerja: str = "",
) -> Keberatan:
    """The atasan pejabat penilai decides: the result stands (TETAP) or is changed (DIUBAH) to new
    ratings, whose predikat follows from the matrix. Final; the original stays on the Keberatan."""
    keberatan = Keberatan.objects.select_for_update().select_related("evaluasi__skp").get(pk=keberatan.pk)
    _require_atasan(keberatan, by)
    if not pertimbangan.strip():
        raise ValidationError({"pertimbangan": _("Tuliskan pertimbangan keputusan.")})
    evaluasi = keberatan.evaluasi
    if ubah:
        if rating_hasil_kerja not in rules.RATINGS or rating_perilaku_kerja not in rules.RATINGS:
            raise ValidationError(_("Pilih rating hasil kerja dan rating perilaku kerja yang baru."))
        if (rating_hasil_kerja, rating_perilaku_kerja) == (evaluasi.rating_hasil_kerja, evaluasi.rating_perilaku_kerja):
            # A DIUBAH decision that changes nothing would misstate the record.
            raise ValidationError(
                _("Rating baru sama dengan hasil semula. Pilih «Hasil tetap» bila hasil tidak diubah.")
            )
        evaluasi.rating_hasil_kerja, evaluasi.rating_perilaku_kerja = rating_hasil_kerja, rating_perilaku_kerja
        evaluasi.predikat = rules.predikat(rating_hasil_kerja, rating_perilaku_kerja)
        evaluasi.versi += 1
        evaluasi.save(update_fields=["rating_hasil_kerja", "rating_perilaku_kerja", "predikat", "versi"])
    keberatan.status = StatusKeberatan.DIUBAH if ubah else StatusKeberatan.TETAP
    keberatan.pemutus_id, keberatan.diputus_pada, keberatan.pertimbangan = (
        by.pegawai_id,
        timezone.now(),
        pertimbangan.strip(),
    )
    keberatan.save()
    _notify(evaluasi, "objection_decided")
    _rescore(evaluasi)
    return keberatan


# --- 360° feedback (issue 4 item 6) -------------------------------------------------------------------------


@transaction.atomic
def undangan_360_create(*, skp: SKP, periode: PeriodeEvaluasi, penilai: list[Pegawai], by: User) -> list[Undangan360]:
    """Invite at least three peers or subordinates. The pejabat penilai's invitations stand; the
    employee's own wait for the pejabat penilai's approval."""
    me = _pegawai_id(by)
    if me not in (skp.pejabat_penilai_id, skp.pegawai_id):
        raise PermissionDenied
    chosen = {p.pk: p for p in penilai if p.pk != skp.pegawai_id}
    already = set(Undangan360.objects.filter(skp=skp, periode_evaluasi=periode).values_list("penilai_id", flat=True))
    if len(set(chosen) | already) < MIN_360_RATERS:
        raise ValidationError(_("Undang paling sedikit tiga rekan kerja atau bawahan (selain pegawai yang dinilai)."))
    if any(p.instansi_id != skp.instansi_id for p in chosen.values()):
        raise ValidationError(_("Penilai 360° harus dari instansi yang sama."))
    by_supervisor = me == skp.pejabat_penilai_id
    return Undangan360.objects.bulk_create(
        [
            Undangan360(skp=skp, periode_evaluasi=periode, penilai=p, diundang_oleh_id=me, disetujui=by_supervisor)
            for pk, p in chosen.items()
            if pk not in already
        ]
    )


@transaction.atomic
def undangan_360_approve(*, skp: SKP, periode: PeriodeEvaluasi, by: User) -> int:
    if _pegawai_id(by) != skp.pejabat_penilai_id:
        raise PermissionDenied
    return Undangan360.objects.filter(skp=skp, periode_evaluasi=periode, disetujui=False).update(disetujui=True)


@transaction.atomic
def jawaban_360_submit(*, undangan: Undangan360, skor: dict[int, int], komentar: dict[int, str], by: User) -> None:
    """Store one rater's answers without their identity; the invitation only records completion."""
    undangan = Undangan360.objects.select_for_update().get(pk=undangan.pk)
    if _pegawai_id(by) != undangan.penilai_id or not undangan.disetujui:
        raise PermissionDenied
    if undangan.selesai:
        raise ValidationError(_("Anda sudah mengisi penilaian 360° ini."))
    values = list(CoreValue.objects.values_list("pk", flat=True))
    if set(skor) != set(values) or any(s not in (1, 2, 3) for s in skor.values()):
        raise ValidationError(_("Beri nilai 1–3 untuk ketujuh nilai BerAKHLAK."))
    Jawaban360.objects.bulk_create(
        [
            Jawaban360(
                skp_id=undangan.skp_id,
                periode_evaluasi_id=undangan.periode_evaluasi_id,
                core_value_id=pk,
                skor=skor[pk],
                komentar=komentar.get(pk, "").strip(),
            )
            for pk in values
        ]
    )
    undangan.selesai = True
    undangan.save(update_fields=["selesai"])


def hasil_360(*, skp: SKP, periode: PeriodeEvaluasi) -> dict | None:
    """Aggregated 360° results per core value, only once at least three raters have answered;
    None before that, so no single answer can be singled out."""
    done = Undangan360.objects.filter(skp=skp, periode_evaluasi=periode, selesai=True).count()
    if done < MIN_360_RATERS:
        return None
    rows = (
        Jawaban360.objects.filter(skp=skp, periode_evaluasi=periode)
        .values("core_value_id")
        .annotate(rata_rata=Avg("skor"), jumlah=Count("pk"))
    )
    comments: dict[int, list[str]] = {}
    for cv, text in (
        Jawaban360.objects.filter(skp=skp, periode_evaluasi=periode)
        .exclude(komentar="")
        .order_by("komentar")
        .values_list("core_value_id", "komentar")
    ):
        comments.setdefault(cv, []).append(text)
    return {
        "responden": done,
        "per_nilai": {
            r["core_value_id"]: {
                "rata_rata": r["rata_rata"],
                "jumlah": r["jumlah"],
                "komentar": comments.get(r["core_value_id"], []),
            }
            for r in rows
        },
    }
