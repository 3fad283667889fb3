"""A small organisation with known predikat and competency levels (see ``talent_org``)."""

from types import SimpleNamespace

import pytest

from accounts.models import JenisJabatan
from accounts.tests.factories import JabatanFactory, pegawai_in_post, refresh

from .helpers import assess, capaian, final, standar


@pytest.fixture
def talent_org(org):
    """Expected boxes for 2026 (kinerja from 2026 and 2025, JPM from standards vs assessments):

    - pegawai: SB, SB; JPM 100 → Di Atas / Tinggi → box 9 (best capaian of its seksi: teladan)
    - colleague: Baik, SB; JPM 75 (Kerjasama 1 of 2) → Sesuai / Rendah → box 2
    - other_staff: Kurang; JPM 80 → Di Bawah / Menengah → box 3
    - fungsional (Ahli Pertama): Baik 2024, SB 2025, SB 2026; JPM 100 → box 9;
      AK 12.5 + 18.75 + 18.75 = 50 of the 50 needed for kenaikan pangkat
    - atasan_penilai: only a final periodic (TW IV) Baik in 2026; JPM 100 → Sesuai / Tinggi → box 8
    - penilai and kepala_unit: no final predikat → not placed
    """
    t = org
    j_fung = JabatanFactory(
        unit=t.seksi, nama="Analis Kebijakan Ahli Pertama", jenis=JenisJabatan.FUNGSIONAL_KEAHLIAN,
        jenjang="AHLI_PERTAMA", atasan=t.jabatan.kasi,
    )  # fmt: skip
    t.fungsional = pegawai_in_post(j_fung)
    refresh(t.instansi)
    t.fungsional.refresh_from_db()
    standar(t, t.jabatan.staff, {"M1": 2, "M2": 2})
    standar(t, t.jabatan.staff2, {"M1": 3, "M2": 2})
    standar(t, j_fung, {"M1": 1})
    standar(t, t.jabatan.kabid, {"M1": 3})
    assess(t, t.pegawai, {"M1": 2, "M2": 2})
    assess(t, t.colleague, {"M1": 2, "M2": 1})
    assess(t, t.other_staff, {"M1": 2, "M2": 2})
    assess(t, t.fungsional, {"M1": 1})
    assess(t, t.atasan_penilai, {"M1": 3})
    for who, history in {
        "pegawai": {2025: "SANGAT_BAIK", 2026: "SANGAT_BAIK"},
        "colleague": {2025: "SANGAT_BAIK", 2026: "BAIK"},
        "other_staff": {2026: "KURANG"},
        "fungsional": {2024: "BAIK", 2025: "SANGAT_BAIK", 2026: "SANGAT_BAIK"},
    }.items():
        for tahun, predikat in history.items():
            final(t, getattr(t, who), tahun, predikat)
    final(t, t.atasan_penilai, 2026, "BAIK", jenis="TRIWULANAN", ke=4)
    capaian(t, t.pegawai, 2026, "110.00")
    capaian(t, t.fungsional, 2026, "95.00")
    return SimpleNamespace(org=t, tahun=2026)
