"""The SKM workload for benchmarks (``manage.py seed_demo --workload``, issue 8).

Where surveys/demo.py opens three demo service units, this makes every puskesmas, kelurahan and
the Disdukcapil of a demo instansi a service unit with its questions, channels (the unit's QR
link and a counter), service types and the current quarter's survey period, and writes
RESPONSES_PER_EMPLOYEE responses per employee of the instansi spread over those units, every
fourth-and-twentieth flagged for moderation as in the small demo.

Set-based: the units, channels, periods and responses are ``bulk_create``d in chunks, the fill-in
times are spread over the quarter with SPREAD_SLOTS UPDATEs, and the nine answers of every response
come from one ``INSERT … SELECT``. Bulk writes skip model history."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Mod
from django.utils import timezone

from accounts.models import Instansi, JenisUnit, Pegawai, UnitKerja
from appraisal.demo_bulk import Raw, _case, _insert_select, _numbers, _t

from . import rules, services
from .demo import LAYANAN, _quarter
from .models import (
    JawabanUnsur,
    JenisLayanan,
    JenisSaluran,
    PeriodeSurvei,
    PertanyaanUnsur,
    Respons,
    SaluranSurvei,
    StatusRespons,
    UnitLayanan,
)

SEED = "sikap-workload-skm"
BATCH = 2000
RESPONSES_PER_EMPLOYEE = 0.5
SPREAD_SLOTS = 12
LAYANAN_KELURAHAN = ("Surat keterangan domisili", "Surat pengantar nikah", "Surat keterangan usaha")


def _service_units(instansi: Instansi) -> list[UnitKerja]:
    return list(
        UnitKerja.objects.filter(instansi=instansi, layanan__isnull=True)
        .filter(
            Q(jenis=JenisUnit.UPT, nama__icontains="Puskesmas")
            | Q(jenis=JenisUnit.KELURAHAN)
            | Q(depth=0, nama__icontains="Kependudukan")
        )
        .order_by("path")
    )


def _layanan_names(unit: UnitKerja) -> tuple[str, ...]:
    if "Kependudukan" in unit.nama:
        return LAYANAN["Kependudukan"]
    return LAYANAN["Puskesmas"] if "Puskesmas" in unit.nama else LAYANAN_KELURAHAN


def _open_units(instansi: Instansi, units: list[UnitKerja], rng: random.Random) -> list[tuple]:
    """The service units with their questions, channels, service types and current period."""
    layanan = UnitLayanan.objects.bulk_create(
        [UnitLayanan(instansi=instansi, unit=u, nama_publik=u.nama) for u in units], batch_size=BATCH
    )
    PertanyaanUnsur.objects.bulk_create(
        [q for lay in layanan for q in services.pertanyaan_standard(lay)], batch_size=BATCH
    )
    saluran = SaluranSurvei.objects.bulk_create(
        [SaluranSurvei(unit_layanan=lay, jenis=JenisSaluran.UNIT, label=lay.nama_publik) for lay in layanan]
        + [SaluranSurvei(unit_layanan=lay, jenis=JenisSaluran.LOKET, label="Loket 1") for lay in layanan],
        batch_size=BATCH,
    )
    jenis = JenisLayanan.objects.bulk_create(
        [JenisLayanan(unit_layanan=lay, nama=n) for lay, u in zip(layanan, units, strict=True) for n in _layanan_names(u)],
        batch_size=BATCH,
    )  # fmt: skip
    label, mulai, selesai = _quarter(timezone.localdate())
    periods = PeriodeSurvei.objects.bulk_create(
        [
            PeriodeSurvei(
                unit_layanan=lay,
                jenis="TRIWULAN",
                label=label,
                mulai=mulai,
                selesai=selesai,
                populasi=rng.randint(400, 3000),
                metode_sampel="TABLE",
            )  # fmt: skip
            for lay in layanan
        ],
        batch_size=BATCH,
    )
    jenis_of = defaultdict(list)
    for j in jenis:
        jenis_of[j.unit_layanan_id].append(j)
    unit_saluran = saluran[: len(layanan)]
    return [
        (lay, ch, jenis_of[lay.pk], p) for lay, ch, p in zip(layanan, unit_saluran, periods, strict=True)
    ]  # fmt: skip


def _respons(units: list[tuple], n: int, rng: random.Random) -> list[Respons]:
    rows = []
    for i in range(n):
        lay, saluran, jenis, periode = units[i % len(units)]
        flagged = i % 25 == 0
        rows.append(
            Respons(
                unit_layanan=lay,
                periode=periode,
                saluran=saluran,
                jenis_layanan=rng.choice(jenis),
                jenis_kelamin=rng.choice("LP"),
                usia=rng.randint(18, 70),
                pendidikan=rng.choice(("SMA", "SMA", "S1", "D3", "SMP", "S2")),
                pekerjaan=rng.choice(("SWASTA", "WIRAUSAHA", "PNS", "PELAJAR", "LAINNYA")),
                saran=rng.choice(("", "", "", "Antrean perlu dipercepat.", "Petugas ramah.")),
                status=StatusRespons.DITANDAI if flagged else StatusRespons.DITERIMA,
                tanda=services.TANDA_TERLALU_CEPAT if flagged else "",
                lama_isi_detik=3 if flagged else rng.randint(40, 300),
            )  # fmt: skip
        )
    return Respons.objects.bulk_create(rows, batch_size=BATCH)


def _spread_over_quarter(instansi: Instansi, mulai: datetime.date) -> None:
    """Fill-in times over the quarter so far (auto_now_add set them all to now): SPREAD_SLOTS
    UPDATEs, each moving the responses whose id falls in its slot back by a number of days."""
    now = timezone.now()
    days = max((timezone.localdate() - mulai).days, 1)
    rows = Respons.objects.filter(unit_layanan__instansi=instansi).alias(slot=Mod("pk", SPREAD_SLOTS))
    for slot in range(1, SPREAD_SLOTS):
        back = datetime.timedelta(days=slot * days // SPREAD_SLOTS, minutes=slot * 37)
        rows.filter(slot=slot).update(diisi_pada=now - back)


def _answers(instansi: Instansi) -> int:
    """The nine answers of every response of the instansi, mostly 3s and 4s."""
    spread = "(r.id * 7 + k.n * 5) %% 100"
    return _insert_select(
        JawabanUnsur,
        {
            "respons": Raw("r.id"),
            "unsur": _case("k.n - 1", [Raw("%s", (kode,)) for kode in rules.UNSUR_KODE]),
            "nilai": Raw(
                f"CASE WHEN {spread} < 3 THEN 1 WHEN {spread} < 15 THEN 2 WHEN {spread} < 65 THEN 3 ELSE 4 END"
            ),
        },
        f"{_t(Respons)} r JOIN {_t(UnitLayanan)} ul ON ul.id = r.unit_layanan_id"
        f" CROSS JOIN {_numbers(len(rules.UNSUR_KODE))} k WHERE ul.instansi_id = %s",
        (instansi.pk,),
    )


@transaction.atomic
def seed_skm_workload(*, instansi: Instansi, per_employee: float = RESPONSES_PER_EMPLOYEE) -> int:
    """Open the service units of ``instansi`` (skipped when it has any) and write responses; returns how many."""
    if UnitLayanan.objects.filter(instansi=instansi).exists():
        return 0
    rng = random.Random(f"{SEED}-{instansi.kode}")
    units = _open_units(instansi, _service_units(instansi), rng)
    if not units:
        return 0
    employees = Pegawai.objects.filter(instansi=instansi).count()
    rows = _respons(units, max(len(units), int(employees * per_employee)), rng)
    _spread_over_quarter(instansi, units[0][3].mulai)
    _answers(instansi)
    return len(rows)
