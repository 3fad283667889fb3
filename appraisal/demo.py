"""Demo SKP data for the demo instansi (called by ``manage.py seed_demo``).

Opens the current SKP year with its evaluation periods and gives the organisation a
realistic planning state: every structural official (JPT, administrator, pengawas) has an
approved SKP cascaded from their superior's, and staff are spread over not started / draft /
submitted / returned / approved. The demo pegawai login is left without an SKP so a new
user can plan one; the demo supervisor has submissions waiting.

Everything is written in bulk, level by level down the chain (a handful of queries per level),
so it scales with ``seed_demo --employees N``."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Instansi, JenisJabatan, Pegawai, User
from accounts.rules import format_nip, pangkat_golongan_label

from . import rules, services
from .models import IKI, RHK, SKP, CatatanSKP, CoreValue, PeriodeSKP, SKPPerilaku, StatusSKP

SEED = "sikap-demo-skp"
BATCH = 2000
STRUCTURAL = {
    JenisJabatan.JPT_UTAMA,
    JenisJabatan.JPT_MADYA,
    JenisJabatan.JPT_PRATAMA,
    JenisJabatan.ADMINISTRATOR,
    JenisJabatan.PENGAWAS,
}
# Planning state of staff (non-structural) whose supervisor has an approved SKP.
STAFF_STATES = (
    (None, 25),
    (StatusSKP.DRAFT, 20),
    (StatusSKP.DIAJUKAN, 20),
    (StatusSKP.REVISI, 5),
    (StatusSKP.DISETUJUI, 30),
)
STRUCTURAL_RHK = (
    "Meningkatnya kualitas layanan {unit}",
    "Terlaksananya program prioritas {unit} sesuai rencana aksi",
    "Tersusunnya laporan kinerja {unit} yang akurat dan tepat waktu",
)
STAFF_RHK = (
    "Dokumen layanan yang diselesaikan tepat waktu",
    "Data dan administrasi {unit} yang tertib dan mutakhir",
    "Layanan kepada masyarakat yang sesuai standar pelayanan",
    "Laporan kegiatan bulanan yang lengkap",
)
IKI_TEMPLATES = (
    ("KUANTITAS", "Jumlah {objek} yang diselesaikan", (12, 24, 48, 120), "dokumen", "NAIK"),
    ("WAKTU", "Rata-rata waktu penyelesaian {objek}", (2, 3, 5), "hari", "TURUN"),
    ("KUALITAS", "Persentase {objek} tanpa revisi", (90, 95), "persen", "NAIK"),
)


@dataclass
class SkpDemoResult:
    periode_created: bool
    skp: int = 0


def _hr_user(instansi: Instansi) -> User:
    user = User.objects.filter(Q(instansi=instansi, is_admin_kepegawaian=True) | Q(is_superuser=True)).first()
    if user is None:
        raise RuntimeError("seed the organisation (accounts.demo) before the SKP demo")
    return user


def _depths(people: dict[int, dict]) -> dict[int, int]:
    """How far each employee is below the top of the chain (following pejabat_penilai)."""
    depth: dict[int, int] = {}

    def walk(pk: int) -> int:
        seen = []
        current = pk
        while current in people and current not in depth and current not in seen:
            seen.append(current)
            current = people[current]["pejabat_penilai_id"]
        base = depth.get(current, -1) if current in people else -1
        for offset, node in enumerate(reversed(seen), start=1):
            depth[node] = base + offset
        return depth[pk]

    for pk in people:
        walk(pk)
    return depth


def _identity(person: dict) -> dict:
    return {
        "nama": person["nama_lengkap"],
        "nip": format_nip(person["nip"]),
        "pangkat": pangkat_golongan_label(person["golongan"]),
        "jabatan": person["jabatan__nama"] or "",
        "unit": person["unit__nama"] or "",
    }


def active_people(instansi: Instansi) -> dict[int, dict]:
    """The instansi's active employees in a post, with what an SKP's identity block needs (one query)."""
    people = {
        p["pk"]: p
        for p in Pegawai.objects.filter(instansi=instansi, status="AKTIF", jabatan__isnull=False).values(
            "pk",
            "nip",
            "gelar_depan",
            "nama",
            "gelar_belakang",
            "golongan",
            "jabatan_id",
            "jabatan__jenis",
            "jabatan__nama",
            "unit__nama",
            "pejabat_penilai_id",
            "atasan_pejabat_penilai_id",
        )  # fmt: skip
    }
    for p in people.values():
        p["nama_lengkap"] = " ".join(x for x in (p["gelar_depan"], p["nama"]) if x) + (
            f", {p['gelar_belakang']}" if p["gelar_belakang"] else ""
        )
    return people


@transaction.atomic
def seed_skp_demo(*, instansi: Instansi, keep_free: set[int], waiting_for: set[int]) -> SkpDemoResult:
    """Open this year's SKP period for ``instansi`` (if not yet) and plant SKPs in bulk.

    ``keep_free``: employees left without an SKP (the demo pegawai). ``waiting_for``: supervisors
    whose subordinates (other than ``keep_free``) are planted as submitted, so their inbox has work."""
    tahun = timezone.localdate().year
    if PeriodeSKP.objects.filter(instansi=instansi, tahun=tahun).exists():
        return SkpDemoResult(periode_created=False)
    periode = services.periode_open(instansi=instansi, tahun=tahun, ritme="TRIWULANAN", by=_hr_user(instansi))
    rng = random.Random(f"{SEED}-{instansi.kode}")
    people = active_people(instansi)
    depth = _depths(people)
    by_level: dict[int, list[int]] = defaultdict(list)
    for pk, d in depth.items():
        by_level[d].append(pk)
    hr = _hr_user(instansi)
    core_values = list(CoreValue.objects.values_list("pk", flat=True))
    rhk_of: dict[int, list[int]] = {}  # pegawai → RHK ids of their approved SKP
    total = 0
    for level in sorted(by_level):
        plans = []
        for pk in sorted(by_level[level]):
            person = people[pk]
            penilai = person["pejabat_penilai_id"]
            structural = person["jabatan__jenis"] in STRUCTURAL
            if pk in keep_free or (penilai is not None and penilai not in rhk_of):
                continue  # nothing to cascade from yet
            if structural or penilai is None:
                status = StatusSKP.DISETUJUI
            elif penilai in waiting_for:
                status = StatusSKP.DIAJUKAN
            else:
                status = rng.choices([s for s, _ in STAFF_STATES], [w for _, w in STAFF_STATES])[0]
            if status is not None:
                plans.append((pk, status, structural))
        total += _plant_level(plans, people, periode, rhk_of, core_values, hr, rng)
    return SkpDemoResult(periode_created=True, skp=total)


def _plant_level(plans, people, periode, rhk_of, core_values, hr, rng) -> int:
    if not plans:
        return 0
    now = timezone.now()
    skps = []
    for pk, status, _structural in plans:
        person = people[pk]
        snapshot = {}
        if status == StatusSKP.DISETUJUI:
            penilai = people.get(person["pejabat_penilai_id"])
            atasan = people.get(person["atasan_pejabat_penilai_id"])
            snapshot = {
                "instansi": periode.instansi.nama,
                "kota": periode.instansi.kota,
                "pegawai": _identity(person),
                "pejabat_penilai": _identity(penilai) if penilai else {},
                "atasan_pejabat_penilai": _identity(atasan) if atasan else {},
                "disetujui_pada": periode.mulai.isoformat(),
            }
        skps.append(
            SKP(
                instansi_id=periode.instansi_id,
                periode=periode,
                pegawai_id=pk,
                jabatan_id=person["jabatan_id"],
                pejabat_penilai_id=person["pejabat_penilai_id"],
                atasan_pejabat_penilai_id=person["atasan_pejabat_penilai_id"],
                mulai=periode.mulai,
                selesai=periode.selesai,
                jenis=rules.jenis_skp_for(person["jabatan__jenis"]),
                status=status,
                diajukan_pada=now if status != StatusSKP.DRAFT else None,
                disetujui_pada=now if status == StatusSKP.DISETUJUI else None,
                snapshot=snapshot,
            )
        )
    SKP.objects.bulk_create(skps, batch_size=BATCH)
    rhk_rows = []
    for skp, (pk, _status, structural) in zip(skps, plans, strict=True):
        person = people[pk]
        parents = rhk_of.get(person["pejabat_penilai_id"], [])
        texts = STRUCTURAL_RHK if structural else STAFF_RHK
        for urutan, template in enumerate(rng.sample(texts, 2 if not structural else 3), start=1):
            rhk_rows.append(
                RHK(
                    skp=skp,
                    jenis="UTAMA",
                    rhk_atasan_id=rng.choice(parents) if parents else None,
                    uraian=template.format(unit=person["unit__nama"] or "unit kerja"),
                    perspektif="PENERIMA_LAYANAN" if skp.jenis == "JPT" else "",
                    urutan=urutan,
                )
            )
    RHK.objects.bulk_create(rhk_rows, batch_size=BATCH)
    iki_rows = []
    for rhk in rhk_rows:
        for urutan, (aspek, uraian, targets, satuan, arah) in enumerate(rng.sample(IKI_TEMPLATES, 2), start=1):
            iki_rows.append(
                IKI(
                    rhk=rhk,
                    aspek=aspek,
                    uraian=uraian.format(objek="dokumen layanan"),
                    target_min=rng.choice(targets),
                    satuan=satuan,
                    arah=arah,
                    urutan=urutan,
                )
            )
    IKI.objects.bulk_create(iki_rows, batch_size=BATCH)
    SKPPerilaku.objects.bulk_create(
        [SKPPerilaku(skp=skp, core_value_id=cv) for skp in skps for cv in core_values], batch_size=BATCH
    )
    steps = []
    for skp in skps:
        if skp.status in (StatusSKP.DIAJUKAN, StatusSKP.REVISI, StatusSKP.DISETUJUI):
            steps.append(CatatanSKP(skp=skp, oleh=hr, dari_status=StatusSKP.DRAFT, ke_status=StatusSKP.DIAJUKAN))
        if skp.status == StatusSKP.REVISI:
            steps.append(
                CatatanSKP(
                    skp=skp,
                    oleh=hr,
                    dari_status=StatusSKP.DIAJUKAN,
                    ke_status=StatusSKP.REVISI,
                    catatan="Lengkapi target kualitas dan waktu.",
                )  # fmt: skip
            )
        if skp.status == StatusSKP.DISETUJUI:
            steps.append(CatatanSKP(skp=skp, oleh=hr, dari_status=StatusSKP.DIAJUKAN, ke_status=StatusSKP.DISETUJUI))
    CatatanSKP.objects.bulk_create(steps, batch_size=BATCH)
    by_skp = defaultdict(list)
    for rhk in rhk_rows:
        by_skp[rhk.skp_id].append(rhk.pk)
    for skp in skps:
        if skp.status == StatusSKP.DISETUJUI:
            rhk_of[skp.pegawai_id] = by_skp[skp.pk]
    return len(skps)


def demo_reset_appraisal(instansi_ids: list[int]) -> None:
    """Delete the appraisal data of the demo instansi, children first, one DELETE per table
    (the ORM's delete would write a history row per object)."""
    from .models import (
        BuktiDukung,
        CapaianOrganisasi,
        CatatanEvaluasi,
        DialogKinerja,
        Evaluasi,
        ImporRealisasi,
        Jawaban360,
        KatalogIndikator,
        Keberatan,
        LampiranSKP,
        PenilaianDiri,
        PenilaianDiriButir,
        PeriodeEvaluasi,
        Realisasi,
        TokenSumber,
        Undangan360,
    )

    skp = Q(skp__instansi_id__in=instansi_ids)
    ordered = [
        (BuktiDukung, Q(realisasi__iki__rhk__skp__instansi_id__in=instansi_ids)),
        (Realisasi, Q(iki__rhk__skp__instansi_id__in=instansi_ids)),
        (ImporRealisasi, Q(instansi_id__in=instansi_ids)),
        (TokenSumber, Q(instansi_id__in=instansi_ids)),
        (PenilaianDiriButir, Q(penilaian__skp__instansi_id__in=instansi_ids)),
        (PenilaianDiri, skp),
        (Keberatan, Q(evaluasi__instansi_id__in=instansi_ids)),
        (CatatanEvaluasi, Q(evaluasi__instansi_id__in=instansi_ids)),
        (Evaluasi, Q(instansi_id__in=instansi_ids)),
        (Jawaban360, skp),
        (Undangan360, skp),
        (DialogKinerja, skp),
        (CapaianOrganisasi, Q(unit__instansi_id__in=instansi_ids)),
        (IKI, Q(rhk__skp__instansi_id__in=instansi_ids)),
        (KatalogIndikator, Q(instansi_id__in=instansi_ids)),
        (RHK, skp),
        (SKPPerilaku, skp),
        (LampiranSKP, skp),
        (CatatanSKP, skp),
        (SKP, Q(instansi_id__in=instansi_ids)),
        (PeriodeEvaluasi, Q(periode_skp__instansi_id__in=instansi_ids)),
        (PeriodeSKP, Q(instansi_id__in=instansi_ids)),
    ]
    for model, condition in ordered:
        rows = model._base_manager.filter(condition)
        if model is SKP:
            rows.update(revisi_dari=None)
        rows._raw_delete(rows.db)
