"""The talent job: correct boxes and recommendations, idempotent, set-based."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import pegawai_in_post, refresh
from talenta import services
from talenta.models import Kompetensi, Rekomendasi, TalentaBox

from .helpers import assess, final

pytestmark = pytest.mark.django_db


def compute(t):
    return services.talenta_compute(instansi_id=t.org.instansi.pk, tahun=t.tahun)


def boxes(t):
    return {b.pegawai_id: b for b in TalentaBox.objects.filter(tahun=t.tahun)}


def recs(t, pegawai):
    return {r.jenis: r for r in Rekomendasi.objects.filter(tahun=t.tahun, pegawai=pegawai)}


def snapshot():
    return sorted(
        [(b.pegawai_id, b.kotak, b.kinerja, b.potensial, str(b.jpm), tuple(b.alasan)) for b in TalentaBox.objects.all()]
    ) + sorted([(r.pegawai_id, r.jenis, r.alasan) for r in Rekomendasi.objects.all()])


def test_the_national_dictionary_is_seeded():
    assert set(Kompetensi.objects.filter(instansi=None).values_list("kode", flat=True)) == {
        "M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "SK1",
    }  # fmt: skip


def test_boxes_follow_predikat_history_and_jpm(talent_org):
    t = talent_org
    compute(t)
    got = {pk: (b.kinerja, b.potensial, b.kotak) for pk, b in boxes(t).items()}
    o = t.org
    assert got[o.pegawai.pk] == ("DI_ATAS", "TINGGI", 9)
    assert got[o.colleague.pk] == ("SESUAI", "RENDAH", 2)  # the weaker of Baik (2026) and SB (2025)
    assert got[o.other_staff.pk] == ("DI_BAWAH", "MENENGAH", 3)
    assert got[o.fungsional.pk] == ("DI_ATAS", "TINGGI", 9)
    assert got[o.atasan_penilai.pk] == ("SESUAI", "TINGGI", 8)
    assert got[o.penilai.pk] == ("", "", None)
    assert str(boxes(t)[o.colleague.pk].jpm) == "75.00"


def test_a_periodic_predikat_stands_in_for_a_missing_annual_one_and_says_so(talent_org):
    compute(talent_org)
    alasan = " ".join(boxes(talent_org)[talent_org.org.atasan_penilai.pk].alasan)
    assert "Belum ada predikat tahunan 2026" in alasan
    assert "TRIWULAN" in alasan


def test_promotion_for_a_fungsional_shows_the_angka_kredit(talent_org):
    compute(talent_org)
    promosi = recs(talent_org, talent_org.org.fungsional)["PROMOSI"]
    # Ahli Pertama: 2024 Baik 12.5 + 2025 SB 18.75 + 2026 SB 18.75 = 50, threshold 50
    assert "50,00 dari kebutuhan 50,00" in promosi.alasan
    assert "2025 Sangat Baik 18,75" in promosi.alasan
    assert "memenuhi" in promosi.alasan and "belum memenuhi" not in promosi.alasan
    assert promosi.data["ak"]["kumulatif"] == "50.000000"


def test_promotion_only_for_the_talent_pool(talent_org):
    compute(talent_org)
    o = talent_org.org
    promoted = set(Rekomendasi.objects.filter(jenis="PROMOSI").values_list("pegawai_id", flat=True))
    assert promoted == {o.pegawai.pk, o.fungsional.pk, o.atasan_penilai.pk}
    assert "Angka kredit" not in recs(talent_org, o.pegawai)["PROMOSI"].alasan  # not fungsional


def test_training_lists_the_competency_gaps(talent_org):
    compute(talent_org)
    pelatihan = recs(talent_org, talent_org.org.colleague)["PELATIHAN"]
    assert "Kerjasama (level 1 dari standar 2, kesenjangan 1)" in pelatihan.alasan
    assert "Integritas" not in pelatihan.alasan
    assert pelatihan.data["gaps"] == [{"kode": "M2", "nama": "Kerjasama", "standar": 2, "aktual": 1, "gap": 1}]


def test_kurang_gets_training_guidance_and_counselling(talent_org):
    compute(talent_org)
    got = recs(talent_org, talent_org.org.other_staff)
    assert set(got) == {"PELATIHAN", "BIMBINGAN", "KONSELING"}
    assert "Kurang" in got["PELATIHAN"].alasan and "Integritas (level 2 dari standar 3" in got["PELATIHAN"].alasan


def test_the_teladan_is_the_sangat_baik_with_the_best_capaian_of_the_unit(talent_org):
    compute(talent_org)
    teladan = Rekomendasi.objects.filter(jenis="PENGHARGAAN")
    assert [r.pegawai_id for r in teladan] == [talent_org.org.pegawai.pk]  # 110 % beats the fungsional's 95 %
    assert "110,00" in teladan[0].alasan


def test_running_twice_gives_the_same_rows(talent_org):
    compute(talent_org)
    first = snapshot()
    compute(talent_org)
    assert snapshot() == first
    assert TalentaBox.objects.count() == 8  # every active employee, once


def test_a_rerun_removes_recommendations_that_no_longer_apply(talent_org):
    compute(talent_org)
    o = talent_org.org
    assess(o, o.colleague, {"M2": 2}, tanggal=datetime.date(2026, 9, 1))  # the gap closed later
    compute(talent_org)
    assert "PELATIHAN" not in recs(talent_org, o.colleague)
    assert boxes(talent_org)[o.colleague.pk].kotak == 8  # JPM now 100: Sesuai / Tinggi


def add_staff(org, n):
    staff = [pegawai_in_post(org.jabatan.staff, login=False) for _ in range(n)]
    refresh(org.instansi)  # sets each employee's current jabatan and unit
    for i, p in enumerate(staff):
        p.refresh_from_db()
        assess(org, p, {"M1": 2, "M2": 1 + i % 2})
        final(org, p, 2026, ["SANGAT_BAIK", "BAIK", "KURANG"][i % 3])


def queries_for(org, n):
    add_staff(org, n)
    with CaptureQueriesContext(connection) as ctx:
        services.talenta_compute(instansi_id=org.instansi.pk, tahun=2026)
    return len(ctx.captured_queries), TalentaBox.objects.count()


def test_query_count_does_not_grow_with_employees(talent_org):
    # employees (1) + per chunk: savepoint, evaluations, standards, assessments, capaian, upsert boxes,
    # delete stale recommendations, upsert recommendations, release (9) + the two stale-row deletes
    small, rows_small = queries_for(talent_org.org, 3)
    large, rows_large = queries_for(talent_org.org, 12)
    assert rows_large == rows_small + 12
    assert small == large == 12


def test_the_talent_job_runs_nightly_after_the_period_scores():
    from celery.schedules import crontab

    from sikap.celery import app

    entry = app.conf.beat_schedule["talenta-nightly"]
    assert entry["task"] == "talenta.tasks.talenta_nightly"
    assert entry["schedule"] == crontab(hour=2, minute=0)
    scores = app.conf.beat_schedule["period-scores-nightly"]["schedule"]
    assert (scores.hour, scores.minute) == ({1}, {30})


@pytest.mark.parametrize("today", [datetime.date(2026, 11, 24), datetime.date(2027, 1, 20)])
def test_the_nightly_job_queues_one_run_per_instansi_and_year_in_play(talent_org, outsider, on_day, today):
    """In November the running year; in January still last year's, whose annual evaluation is
    being done (reports.services.periods_in_play)."""
    from reports.models import JobRun
    from talenta.tasks import talenta_nightly

    on_day(today)
    result = talenta_nightly.apply().get()
    assert result == {"queued": 1}  # only talent_org has a 2026 SKP year
    run = JobRun.objects.get(jenis=services.JOB_JENIS)
    assert run.parameter == {"tahun": 2026} and run.status == "SELESAI"
