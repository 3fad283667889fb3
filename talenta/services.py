"""The talent job (issue 6 items 3–4): the 9-box and the follow-up recommendations of one
instansi and year, computed in bulk.

Employees are taken unit by unit (chunks of UNITS_PER_CHUNK units, so the best of a unit is
always decided within one chunk). Per chunk the job reads final evaluations, competency
standards, assessed levels and SKP achievement with one query each, decides in Python with
``talenta.rules``, and upserts TalentaBox on (tahun, pegawai) and Rekomendasi on
(tahun, pegawai, jenis). Rows that no longer apply are deleted, so a rerun gives the same rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FUNGSIONAL_TYPES, Pegawai
from appraisal.models import Evaluasi, Predikat, StatusEvaluasi
from appraisal.models.evaluasi import JenisPeriodeEvaluasi
from ops.outbox import send_on_commit
from reports.models import HasilKinerja, JobRun, StatusJob

from . import rules
from .models import JenisRekomendasi, PenilaianKompetensi, Rekomendasi, StandarKompetensi, TalentaBox

UNITS_PER_CHUNK = 50
JOB_JENIS = "talenta"
PREDIKAT_LEMAH = {"BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG"}
PREDIKAT_KONSELING = {"KURANG", "SANGAT_KURANG"}
BOX_FIELDS = ["instansi", "unit", "predikat", "kinerja", "potensial", "jpm", "kotak", "alasan", "dihitung_pada"]
REKOMENDASI_FIELDS = ["instansi", "unit", "alasan", "data", "dihitung_pada"]


def _predikat_label(code: str) -> str:
    return str(Predikat(code).label) if code in Predikat.values else code


def _num(value: Decimal) -> str:
    """Indonesian display of a figure, 2 decimals half-up (rules §3.1)."""
    return f"{rules.ak_display(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


@dataclass
class Employee:
    pk: int
    unit_id: int | None
    jabatan_id: int | None
    jabatan_jenis: str
    jenjang: str


@dataclass
class Facts:
    """What the chunk's queries tell about one employee."""

    annual: dict[int, str] = field(default_factory=dict)  # tahun → predikat of the annual evaluation
    periodic: dict[int, tuple] = field(default_factory=dict)  # tahun → (selesai, predikat, label) latest periodic
    gaps: list[dict] = field(default_factory=list)
    levels: dict[str, tuple[int, int]] = field(default_factory=dict)
    capaian: Decimal | None = None


# --- reading (one query each per chunk) ---------------------------------------------------------------


def _read_facts(employees: list[Employee], tahun: int) -> dict[int, Facts]:
    ids = [e.pk for e in employees]
    facts = {pk: Facts() for pk in ids}
    evaluations = (
        Evaluasi.objects.filter(
            skp__pegawai_id__in=ids, status=StatusEvaluasi.FINAL, periode_evaluasi__periode_skp__tahun__lte=tahun
        )
        .order_by("periode_evaluasi__selesai", "pk")
        .values_list(
            "skp__pegawai_id",
            "periode_evaluasi__periode_skp__tahun",
            "periode_evaluasi__jenis",
            "periode_evaluasi__selesai",
            "periode_evaluasi__label",
            "predikat",
        )
    )
    for pegawai_id, year, jenis, selesai, label, predikat in evaluations:  # ascending: the latest wins
        if jenis == JenisPeriodeEvaluasi.TAHUNAN:
            facts[pegawai_id].annual[year] = predikat
        else:
            facts[pegawai_id].periodic[year] = (selesai, predikat, label)
    jabatan_ids = {e.jabatan_id for e in employees if e.jabatan_id}
    standards: dict[int, list[tuple]] = defaultdict(list)
    for row in StandarKompetensi.objects.filter(jabatan_id__in=jabatan_ids).values_list(
        "jabatan_id", "kompetensi_id", "kompetensi__kode", "kompetensi__nama", "level_standar"
    ):
        standards[row[0]].append(row[1:])
    latest: dict[tuple[int, int], int] = {}
    for pegawai_id, kompetensi_id, level in (
        PenilaianKompetensi.objects.filter(pegawai_id__in=ids)
        .order_by("pegawai_id", "kompetensi_id", "-tanggal", "-pk")
        .values_list("pegawai_id", "kompetensi_id", "level")
    ):
        latest.setdefault((pegawai_id, kompetensi_id), level)
    for e in employees:
        for kompetensi_id, kode, nama, standar in sorted(standards.get(e.jabatan_id, []), key=lambda s: s[1]):
            aktual = latest.get((e.pk, kompetensi_id), 0)  # not assessed counts as level 0
            facts[e.pk].levels[kode] = (aktual, standar)
            if standar > aktual:
                facts[e.pk].gaps.append(
                    {"kode": kode, "nama": nama, "standar": standar, "aktual": aktual, "gap": standar - aktual}
                )
    for pegawai_id, capaian in HasilKinerja.objects.filter(
        pegawai_id__in=ids,
        periode_evaluasi__jenis=JenisPeriodeEvaluasi.TAHUNAN,
        periode_evaluasi__periode_skp__tahun=tahun,
        capaian_skp__isnull=False,
    ).values_list("pegawai_id", "capaian_skp"):
        facts[pegawai_id].capaian = capaian
    return facts


# --- deciding (pure Python over the facts) ------------------------------------------------------------


def _history(facts: Facts, tahun: int) -> tuple[list[str], list[str]]:
    """The predikat of ``tahun`` and the year before, most recent first, with the reasons: the
    annual one, else the latest final periodic one of that year (said so)."""
    history, reasons = [], []
    for year in (tahun, tahun - 1):
        if year in facts.annual:
            history.append(facts.annual[year])
            reasons.append(
                _("Predikat tahunan %(tahun)s: %(predikat)s.")
                % {"tahun": year, "predikat": _predikat_label(facts.annual[year])}
            )
        elif year in facts.periodic:
            _selesai, predikat, label = facts.periodic[year]
            history.append(predikat)
            reasons.append(
                _("Belum ada predikat tahunan %(tahun)s; dipakai predikat periodik terakhir (%(label)s): %(predikat)s.")
                % {"tahun": year, "label": label, "predikat": _predikat_label(predikat)}
            )
    return history, reasons


def _box(e: Employee, facts: Facts, tahun: int, now) -> TalentaBox:
    history, reasons = _history(facts, tahun)
    kinerja = rules.kinerja_from_history(history)
    if kinerja is None:
        reasons.append(_("Tidak ada predikat final pada %(a)s–%(b)s.") % {"a": tahun - 1, "b": tahun})
    jpm = rules.jpm(facts.levels) if facts.levels else None
    potensial = rules.potensial_axis(jpm) if jpm is not None else None
    if jpm is None:
        reasons.append(_("Jabatan belum memiliki standar kompetensi, JPM tidak dapat dihitung."))
    else:
        reasons.append(_("JPM %(jpm)s%% dari standar kompetensi jabatan.") % {"jpm": _num(jpm)})
    kotak = rules.kotak(kinerja, potensial) if kinerja and potensial else None
    if kotak is not None:
        reasons.append(
            _("Kotak %(kotak)s: %(rekomendasi)s") % {"kotak": kotak, "rekomendasi": rules.REKOMENDASI_KOTAK[kotak]}
        )
    return TalentaBox(
        instansi_id=None,
        tahun=tahun,
        pegawai_id=e.pk,
        unit_id=e.unit_id,
        predikat=history[0] if history else "",
        kinerja=kinerja or "",
        potensial=potensial or "",
        jpm=jpm,
        kotak=kotak,
        alasan=reasons,
        dihitung_pada=now,
    )


def _angka_kredit(e: Employee, facts: Facts, tahun: int) -> dict | None:
    """Rules §3.1: the AK earned from each recorded annual predikat (12 months each), summed
    unrounded, against the threshold for kenaikan pangkat of the jenjang."""
    if e.jabatan_jenis not in FUNGSIONAL_TYPES or e.jenjang not in rules.KOEFISIEN_AK:
        return None
    per_year = {
        year: rules.angka_kredit(jenjang=e.jenjang, predikat=predikat)
        for year, predikat in sorted(facts.annual.items())
        if year <= tahun
    }
    total = sum(per_year.values(), Decimal(0))
    return {
        "jenjang": e.jenjang,
        "per_tahun": {str(y): str(v) for y, v in per_year.items()},
        "kumulatif": str(total),
        "dibutuhkan": str(rules.AK_KENAIKAN_PANGKAT[e.jenjang]),
        "memenuhi": total >= rules.AK_KENAIKAN_PANGKAT[e.jenjang],
    }


def _promosi_reason(box: TalentaBox, ak: dict | None, facts: Facts) -> str:
    parts = [_("Kotak %(kotak)s (kelompok rencana suksesi).") % {"kotak": box.kotak}]
    if ak is not None:
        rincian = "; ".join(
            f"{year} {_predikat_label(facts.annual[int(year)])} {_num(Decimal(v))}"
            for year, v in ak["per_tahun"].items()
        )
        parts.append(
            _(
                "Angka kredit kumulatif %(total)s dari kebutuhan %(butuh)s untuk kenaikan pangkat (%(rincian)s): %(hasil)s."
            )
            % {
                "total": _num(Decimal(ak["kumulatif"])),
                "butuh": _num(Decimal(ak["dibutuhkan"])),
                "rincian": rincian or _("belum ada predikat tahunan"),
                "hasil": _("memenuhi") if ak["memenuhi"] else _("belum memenuhi"),
            }
        )
    return " ".join(parts)


def _recommendations(e: Employee, facts: Facts, box: TalentaBox, tahun: int, now) -> list[Rekomendasi]:
    def make(jenis: str, alasan: str, data: dict) -> Rekomendasi:
        return Rekomendasi(
            tahun=tahun, pegawai_id=e.pk, unit_id=e.unit_id, jenis=jenis, alasan=alasan, data=data, dihitung_pada=now
        )

    result = []
    predikat = box.predikat
    if box.kotak in rules.TALENT_POOL:
        ak = _angka_kredit(e, facts, tahun)
        result.append(make(JenisRekomendasi.PROMOSI, _promosi_reason(box, ak, facts), {"kotak": box.kotak, "ak": ak}))
    if facts.gaps or predikat in PREDIKAT_LEMAH:
        parts = []
        if facts.gaps:
            gaps = ", ".join(
                _("%(nama)s (level %(aktual)s dari standar %(standar)s, kesenjangan %(gap)s)") % g for g in facts.gaps
            )
            parts.append(_("Kesenjangan kompetensi: %(daftar)s.") % {"daftar": gaps})
        if predikat in PREDIKAT_LEMAH:
            parts.append(_("Predikat %(predikat)s.") % {"predikat": _predikat_label(predikat)})
        result.append(make(JenisRekomendasi.PELATIHAN, " ".join(parts), {"gaps": facts.gaps, "predikat": predikat}))
    if predikat in PREDIKAT_LEMAH:
        reason = _("Predikat %(predikat)s: bimbingan kinerja oleh pejabat penilai.") % {
            "predikat": _predikat_label(predikat)
        }
        result.append(make(JenisRekomendasi.BIMBINGAN, reason, {"predikat": predikat}))
    if predikat in PREDIKAT_KONSELING:
        reason = _("Predikat %(predikat)s: konseling kinerja.") % {"predikat": _predikat_label(predikat)}
        result.append(make(JenisRekomendasi.KONSELING, reason, {"predikat": predikat}))
    return result


def _teladan(employees: list[Employee], boxes: dict[int, TalentaBox], facts: dict[int, Facts], tahun, now):
    """PENGHARGAAN: per unit, the Sangat Baik employee(s) with the highest capaian SKP; when no
    one in the unit has a computed capaian, every Sangat Baik employee of the unit."""
    by_unit: dict[int | None, list[Employee]] = defaultdict(list)
    for e in employees:
        if boxes[e.pk].predikat == "SANGAT_BAIK":
            by_unit[e.unit_id].append(e)
    result = []
    for candidates in by_unit.values():
        known = [facts[e.pk].capaian for e in candidates if facts[e.pk].capaian is not None]
        best = max(known) if known else None
        for e in candidates:
            capaian = facts[e.pk].capaian
            if best is not None and capaian != best:
                continue
            if capaian is not None:
                alasan = _("Predikat Sangat Baik dengan capaian SKP tertinggi di unitnya (%(capaian)s%%).") % {
                    "capaian": _num(capaian)
                }
            else:
                alasan = _("Predikat Sangat Baik; belum ada capaian SKP terhitung di unitnya.")
            data = {"capaian_skp": str(capaian) if capaian is not None else None}
            result.append(
                Rekomendasi(
                    tahun=tahun,
                    pegawai_id=e.pk,
                    unit_id=e.unit_id,
                    jenis=JenisRekomendasi.PENGHARGAAN,
                    alasan=alasan,
                    data=data,
                    dihitung_pada=now,
                )  # fmt: skip
            )
    return result


# --- writing --------------------------------------------------------------------------------------------


def _compute_chunk(instansi_id: int, tahun: int, employees: list[Employee]) -> int:
    """Seven queries for any number of employees: four reads, two upserts, one delete of stale rows."""
    now = timezone.now()
    facts = _read_facts(employees, tahun)
    boxes = {e.pk: _box(e, facts[e.pk], tahun, now) for e in employees}
    recs = [r for e in employees for r in _recommendations(e, facts[e.pk], boxes[e.pk], tahun, now)]
    recs += _teladan(employees, boxes, facts, tahun, now)
    for row in [*boxes.values(), *recs]:
        row.instansi_id = instansi_id
    TalentaBox.objects.bulk_create(
        list(boxes.values()), update_conflicts=True, unique_fields=["tahun", "pegawai"], update_fields=BOX_FIELDS
    )
    keep: dict[str, list[int]] = defaultdict(list)
    for r in recs:
        keep[r.jenis].append(r.pegawai_id)
    stale = Q(pk__in=[])
    for jenis in JenisRekomendasi.values:
        stale |= Q(jenis=jenis) & ~Q(pegawai_id__in=keep.get(jenis, []))
    Rekomendasi.objects.filter(stale, tahun=tahun, pegawai_id__in=list(boxes)).delete()
    if recs:
        Rekomendasi.objects.bulk_create(
            recs, update_conflicts=True, unique_fields=["tahun", "pegawai", "jenis"], update_fields=REKOMENDASI_FIELDS
        )
    return len(boxes) + len(recs)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def talenta_compute(*, instansi_id: int, tahun: int, run: JobRun | None = None) -> int:
    """Place every active employee of the instansi in the 9-box of ``tahun`` and write their
    recommendations (TalentaBox, Rekomendasi), unit by unit, updating ``run``'s progress.
    Rows of employees no longer active are deleted. Returns the number of rows written."""
    employees = [
        Employee(pk, unit_id, jabatan_id, jenis or "", jenjang or "")
        for pk, unit_id, jabatan_id, jenis, jenjang in Pegawai.objects.filter(
            instansi_id=instansi_id, status="AKTIF", jabatan__isnull=False
        )
        .order_by("unit_id", "pk")
        .values_list("pk", "unit_id", "jabatan_id", "jabatan__jenis", "jabatan__jenjang")
    ]
    by_unit: dict[int | None, list[Employee]] = defaultdict(list)
    for e in employees:
        by_unit[e.unit_id].append(e)
    groups = list(by_unit.values())
    if run is not None:
        JobRun.objects.filter(pk=run.pk).update(
            status=StatusJob.BERJALAN, total=len(groups), selesai=0, dimulai_pada=timezone.now()
        )
    written = 0
    for done, chunk in enumerate(_chunks(groups, UNITS_PER_CHUNK), start=1):
        with transaction.atomic():
            written += _compute_chunk(instansi_id, tahun, [e for group in chunk for e in group])
        if run is not None:
            JobRun.objects.filter(pk=run.pk).update(selesai=min(done * UNITS_PER_CHUNK, len(groups)), baris=written)
    everyone = [e.pk for e in employees]
    TalentaBox.objects.filter(instansi_id=instansi_id, tahun=tahun).exclude(pegawai_id__in=everyone).delete()
    Rekomendasi.objects.filter(instansi_id=instansi_id, tahun=tahun).exclude(pegawai_id__in=everyone).delete()
    if run is not None:
        JobRun.objects.filter(pk=run.pk).update(status=StatusJob.SELESAI, selesai_pada=timezone.now(), baris=written)
    return written


def talenta_run_start(*, instansi, tahun: int, by) -> JobRun:
    """HR's "Hitung sekarang": record the run (audit: who, when, which year) and queue it after
    commit (run in-process in development, where Celery is eager)."""
    from .tasks import talenta_compute_task

    run = JobRun.objects.create(instansi=instansi, jenis=JOB_JENIS, parameter={"tahun": tahun}, dibuat_oleh=by)
    send_on_commit(talenta_compute_task, run.pk)
    return run
