"""Reads of the development-plan screens (rencana pembinaan), each filtered by instansi, by the
supervisor or by the employee, with a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Pegawai, UnitKerja
from appraisal.models import Predikat
from appraisal.models.evaluasi import JenisPeriodeEvaluasi
from reports.models import HasilKinerja

from . import rules
from .models import JadwalPelatihan, JenisRekomendasi, Pelatihan, PesertaPelatihan, Rekomendasi

PAGE_SIZE = 25
DIIKUTI = list(rules.STATUS_DIIKUTI)


def pelatihan_list(*, instansi) -> list[Pelatihan]:
    """The catalogue with its competencies (prefetched) and the number of schedules of each."""
    return list(
        Pelatihan.objects.filter(instansi=instansi)
        .annotate(jumlah_jadwal=Count("jadwal"))
        .prefetch_related("kompetensi")
        .order_by("-aktif", "nama", "pk")
    )


def jadwal_page(*, instansi, tahun: int, page) -> Page:
    """Schedules starting in ``tahun`` with their training and counts of enrolled and attended."""
    qs = (
        JadwalPelatihan.objects.filter(instansi=instansi, mulai__year=tahun)
        .select_related("pelatihan")
        .annotate(
            jumlah_peserta=Count("peserta"),
            jumlah_hadir=Count("peserta", filter=Q(peserta__status__in=DIIKUTI)),
        )
        .order_by("-mulai", "pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def jadwal_years(*, instansi) -> list[int]:
    years = {d.year for d in JadwalPelatihan.objects.filter(instansi=instansi).dates("mulai", "year")}
    return sorted(years | {timezone.localdate().year}, reverse=True)


def peserta_of(*, jadwal: JadwalPelatihan) -> list[PesertaPelatihan]:
    return list(
        PesertaPelatihan.objects.filter(jadwal=jadwal)
        .select_related("pegawai", "pegawai__unit", "rekomendasi")
        .order_by("pegawai__nama", "pk")
    )


def kandidat_for(*, jadwal: JadwalPelatihan, tahun: int, unit: UnitKerja | None, kompetensi_kode: str) -> list[dict]:
    """The training recommendations of ``tahun`` in the schedule's instansi (unit subtree), each
    marked when the employee is already enrolled and when their competency gaps match what the
    training develops. With ``kompetensi_kode`` only those with a gap in that competency remain
    (the gaps live in the recommendation's JSON, filtered here so SQLite and PostgreSQL agree).
    Three queries: the training's competencies, the recommendations, nothing per row."""
    codes = set(jadwal.pelatihan.kompetensi.values_list("kode", flat=True))
    qs = Rekomendasi.objects.filter(
        instansi_id=jadwal.instansi_id, tahun=tahun, jenis=JenisRekomendasi.PELATIHAN
    ).annotate(terdaftar=Exists(PesertaPelatihan.objects.filter(jadwal=jadwal, pegawai_id=OuterRef("pegawai_id"))))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    rows = []
    for rec in qs.select_related("pegawai", "unit").order_by("unit__path", "pegawai__nama", "pk"):
        gap_codes = {g.get("kode") for g in rec.data.get("gaps", [])}
        if kompetensi_kode and kompetensi_kode not in gap_codes:
            continue
        rows.append({"rekomendasi": rec, "cocok": bool(gap_codes & codes), "terdaftar": rec.terdaftar})
    return rows


def jp_per_pegawai(*, pegawai_ids: list[int], tahun: int) -> dict[int, int]:
    """JP earned per employee in ``tahun``: attended enrolments of trainings ending that year."""
    totals: dict[int, int] = defaultdict(int)
    for pegawai_id, jp in PesertaPelatihan.objects.filter(
        pegawai_id__in=pegawai_ids, status__in=DIIKUTI, jadwal__selesai__year=tahun
    ).values_list("pegawai_id", "jp"):
        totals[pegawai_id] += jp
    return dict(totals)


@dataclass
class Rencana:
    """One employee's development plan of a year: enrolments and JP against the 20 JP duty."""

    pegawai: Pegawai | None
    tahun: int
    peserta: list[PesertaPelatihan] = field(default_factory=list)
    jp: int = 0
    kurang: int = 0
    minimum: int = rules.JP_MINIMUM_PNS
    wajib: bool = True

    @property
    def persen(self) -> int:
        return min(100, self.jp * 100 // self.minimum) if self.wajib else 100


def _enrolments(pegawai_filter: Q, tahun: int) -> QuerySet:
    return (
        PesertaPelatihan.objects.filter(pegawai_filter, jadwal__selesai__year=tahun)
        .select_related("jadwal", "jadwal__pelatihan")
        .order_by("jadwal__mulai", "pk")
    )


def _rencana(pegawai: Pegawai, tahun: int, peserta: list[PesertaPelatihan]) -> Rencana:
    jp = sum(p.jp for p in peserta if p.status in rules.STATUS_DIIKUTI)
    wajib = pegawai.jenis_asn == "PNS"
    return Rencana(
        pegawai=pegawai,
        tahun=tahun,
        peserta=peserta,
        jp=jp,
        kurang=rules.jp_kurang(jenis_asn=pegawai.jenis_asn, jp_tercapai=jp),
        wajib=wajib,
    )


def own_rencana(*, pegawai_id: int, tahun: int) -> Rencana:
    """The employee's own plan (two queries)."""
    pegawai = Pegawai.objects.get(pk=pegawai_id)
    return _rencana(pegawai, tahun, list(_enrolments(Q(pegawai_id=pegawai_id), tahun)))


def team_rencana(*, pejabat_penilai_id: int, tahun: int) -> list[Rencana]:
    """The plans of the employees this supervisor appraises (two queries for any team size)."""
    members = list(
        Pegawai.objects.filter(pejabat_penilai_id=pejabat_penilai_id, status="AKTIF")
        .select_related("unit")
        .order_by("nama", "pk")
    )
    by_pegawai: dict[int, list[PesertaPelatihan]] = defaultdict(list)
    for p in _enrolments(Q(pegawai__pejabat_penilai_id=pejabat_penilai_id), tahun):
        by_pegawai[p.pegawai_id].append(p)
    return [_rencana(m, tahun, by_pegawai.get(m.pk, [])) for m in members]


# --- Before and after a training -----------------------------------------------------------------------


@dataclass
class Dampak:
    jadwal: JadwalPelatihan
    selesai: bool
    rows: list[dict]
    ringkasan: dict
    chart: dict


def dampak_for(*, jadwal: JadwalPelatihan) -> Dampak:
    """Performance before and after ``jadwal`` for each participant who attended (HADIR or
    LULUS), as defined in ``rules.bandingkan_kinerja``: the computed HasilKinerja of periodic
    periods ending before the start, and of those starting after the end, within
    ``rules.JENDELA_DAMPAK_HARI`` days. Two queries for any number of participants."""
    peserta = list(
        PesertaPelatihan.objects.filter(jadwal=jadwal, status__in=DIIKUTI)
        .select_related("pegawai", "pegawai__unit")
        .order_by("pegawai__nama", "pk")
    )
    window = datetime.timedelta(days=rules.JENDELA_DAMPAK_HARI)
    sebelum: dict[int, list] = defaultdict(list)
    sesudah: dict[int, list] = defaultdict(list)
    hasil = (
        HasilKinerja.objects.filter(pegawai_id__in=[p.pegawai_id for p in peserta])
        .exclude(periode_evaluasi__jenis=JenisPeriodeEvaluasi.TAHUNAN)
        .filter(
            Q(periode_evaluasi__selesai__lt=jadwal.mulai, periode_evaluasi__selesai__gte=jadwal.mulai - window)
            | Q(periode_evaluasi__mulai__gt=jadwal.selesai, periode_evaluasi__mulai__lte=jadwal.selesai + window)
        )
        .order_by("periode_evaluasi__mulai", "pk")
        .values_list("pegawai_id", "periode_evaluasi__selesai", "capaian_skp", "predikat")
    )
    for pegawai_id, selesai, capaian, predikat in hasil:
        (sebelum if selesai < jadwal.mulai else sesudah)[pegawai_id].append((capaian, predikat))
    rows = [
        {"peserta": p, **rules.bandingkan_kinerja(sebelum.get(p.pegawai_id, []), sesudah.get(p.pegawai_id, []))}
        for p in peserta
    ]
    ringkasan = rules.ringkas_dampak(rows)
    labels = {code: str(Predikat(code).label) for code in rules.URUTAN_PREDIKAT}
    for row in rows:
        row["predikat_sebelum_label"] = labels.get(row["predikat_sebelum"], "")
        row["predikat_sesudah_label"] = labels.get(row["predikat_sesudah"], "")
    chart = {
        "labels": [labels[c] for c in rules.URUTAN_PREDIKAT],
        "sebelum": [ringkasan["distribusi"]["sebelum"][c] for c in rules.URUTAN_PREDIKAT],
        "sesudah": [ringkasan["distribusi"]["sesudah"][c] for c in rules.URUTAN_PREDIKAT],
    }
    return Dampak(
        jadwal=jadwal, selesai=jadwal.selesai < timezone.localdate(), rows=rows, ringkasan=ringkasan, chart=chart
    )
