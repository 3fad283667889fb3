"""Demo SKM data for the demo instansi (called by ``manage.py seed_demo``): a few service units
(puskesmas and Disdukcapil) with their service types, a counter and an officer channel, the
current quarter's survey period and generated anonymous responses written in bulk, a few of
them flagged for moderation."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Instansi, Pegawai, UnitKerja, User

from . import rules, services, services_admin
from .models import JawabanUnsur, JenisLayanan, PeriodeSurvei, Respons, StatusRespons, UnitLayanan

SEED = "sikap-demo-skm"
LAYANAN = {
    "Puskesmas": ("Pemeriksaan umum", "Imunisasi", "Kesehatan ibu dan anak"),
    "Kependudukan": ("KTP elektronik", "Kartu Keluarga", "Akta kelahiran"),
}
# A unit's character: the chance of each answer 1–4 (some units serve better than others).
PROFILES = ((0.02, 0.08, 0.55, 0.35), (0.05, 0.20, 0.55, 0.20), (0.01, 0.04, 0.35, 0.60))


def _quarter(today: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    q = (today.month - 1) // 3
    start = datetime.date(today.year, q * 3 + 1, 1)
    end = datetime.date(today.year + (q == 3), (q * 3 + 3) % 12 + 1, 1) - datetime.timedelta(days=1)
    return f"Triwulan {('I', 'II', 'III', 'IV')[q]} {today.year}", start, end


@transaction.atomic
def seed_skm_demo(*, instansi: Instansi, responses_per_unit: int = 120) -> int:
    """Create the demo service units of ``instansi`` (skipped when it has any) with responses; returns how many."""
    if UnitLayanan.objects.filter(instansi=instansi).exists():
        return 0
    rng = random.Random(f"{SEED}-{instansi.kode}")
    hr = User.objects.filter(Q(instansi=instansi, is_admin_kepegawaian=True) | Q(is_superuser=True)).first()
    units = list(
        UnitKerja.objects.filter(instansi=instansi, nama__icontains="Puskesmas", jenis="UPT").order_by("path")[:2]
    )
    units += list(UnitKerja.objects.filter(instansi=instansi, nama__icontains="Kependudukan", depth=0)[:1])
    today = timezone.localdate()
    label, mulai, selesai = _quarter(today)
    written = 0
    for index, unit in enumerate(units):
        layanan = services.unit_layanan_create(unit=unit, nama_publik=unit.nama, by=hr)
        kind = "Kependudukan" if "Kependudukan" in unit.nama else "Puskesmas"
        jenis = [services_admin.jenis_layanan_add(unit_layanan=layanan, nama=n, by=hr) for n in LAYANAN[kind]]
        services_admin.saluran_add(unit_layanan=layanan, jenis="LOKET", label="Loket 1", by=hr)
        officer = Pegawai.objects.filter(unit__path__startswith=unit.path, status="AKTIF").order_by("pk").first()
        if officer is not None:
            services_admin.saluran_add(unit_layanan=layanan, jenis="PETUGAS", label="", petugas=officer, by=hr)
        periode = services_admin.periode_open(
            unit_layanan=layanan, jenis="TRIWULAN", label=label, mulai=mulai, selesai=selesai,
            populasi=rng.randint(400, 3000), metode_sampel="TABLE", by=hr,
        )  # fmt: skip
        written += _responses(
            layanan, periode, jenis, officer, rng, PROFILES[index % len(PROFILES)], responses_per_unit
        )
    return written


def _responses(layanan, periode: PeriodeSurvei, jenis: list[JenisLayanan], officer, rng, profile, n) -> int:
    now = timezone.now()
    days = max((min(timezone.localdate(), periode.selesai) - periode.mulai).days, 1)
    rows = []
    for i in range(n):
        flagged = i % 25 == 0
        rows.append(
            Respons(
                unit_layanan=layanan,
                periode=periode,
                petugas=officer if officer is not None and i % 3 == 0 else None,
                jenis_layanan=rng.choice(jenis),
                jenis_kelamin=rng.choice("LP"),
                usia=rng.randint(18, 70),
                pendidikan=rng.choice(("SMA", "SMA", "S1", "D3", "SMP", "S2")),
                pekerjaan=rng.choice(("SWASTA", "WIRAUSAHA", "PNS", "PELAJAR", "LAINNYA")),
                saran=rng.choice(
                    ("", "", "", "Antrean perlu dipercepat.", "Petugas ramah.", "Ruang tunggu kurang sejuk.")
                ),
                status=StatusRespons.DITANDAI if flagged else StatusRespons.DITERIMA,
                tanda="terlalu cepat" if flagged else "",
                lama_isi_detik=3 if flagged else rng.randint(40, 300),
            )
        )
    Respons.objects.bulk_create(rows, batch_size=1000)
    # Spread the fill-in times over the period so far (auto_now_add set them all to now).
    for r in rows:
        r.diisi_pada = now - datetime.timedelta(days=rng.randint(0, days - 1), minutes=rng.randint(0, 600))
    Respons.objects.bulk_update(rows, ["diisi_pada"], batch_size=1000)
    answers = [
        JawabanUnsur(respons=r, unsur=kode, nilai=rng.choices((1, 2, 3, 4), profile)[0])
        for r in rows
        for kode in rules.UNSUR_KODE
    ]
    JawabanUnsur.objects.bulk_create(answers, batch_size=2000)
    return len(rows)


def demo_reset_surveys(instansi_ids: list[int]) -> None:
    """Delete the SKM data of the demo instansi, children first, one DELETE per table."""
    from .models import PertanyaanUnsur, SaluranSurvei, TindakLanjut, TokenSurvei

    of = Q(unit_layanan__instansi_id__in=instansi_ids)
    ordered = [
        (JawabanUnsur, Q(respons__unit_layanan__instansi_id__in=instansi_ids)),
        (TokenSurvei, of),
        (Respons, of),
        (TindakLanjut, Q(periode__unit_layanan__instansi_id__in=instansi_ids)),
        (PeriodeSurvei, of),
        (SaluranSurvei, of),
        (PertanyaanUnsur, of),
        (JenisLayanan, of),
        (UnitLayanan, Q(instansi_id__in=instansi_ids)),
    ]
    for model, condition in ordered:
        rows = model._base_manager.filter(condition)
        rows._raw_delete(rows.db)
