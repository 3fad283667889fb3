"""Angka kredit, 9-box, JPM and JP: every cell of the tables in rules §3.1, §4 and §5.2."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talenta import rules

D = Decimal

# §3.1 table: jenjang → annual AK for SB, Baik, BP, Kurang, SK.
AK_TABLE = {
    "PEMULA": ("5.625", "3.75", "2.8125", "1.875", "0.9375"),
    "TERAMPIL": ("7.5", "5", "3.75", "2.5", "1.25"),
    "MAHIR": ("18.75", "12.5", "9.375", "6.25", "3.125"),
    "PENYELIA": ("37.5", "25", "18.75", "12.5", "6.25"),
    "AHLI_PERTAMA": ("18.75", "12.5", "9.375", "6.25", "3.125"),
    "AHLI_MUDA": ("37.5", "25", "18.75", "12.5", "6.25"),
    "AHLI_MADYA": ("56.25", "37.5", "28.125", "18.75", "9.375"),
    "AHLI_UTAMA": ("75", "50", "37.5", "25", "12.5"),
}
PREDIKAT = ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")


@pytest.mark.parametrize("jenjang", AK_TABLE)
@pytest.mark.parametrize("index", range(5))
def test_every_jenjang_and_predikat_of_the_angka_kredit_table(jenjang, index):
    assert rules.angka_kredit(jenjang=jenjang, predikat=PREDIKAT[index]) == D(AK_TABLE[jenjang][index])


def test_month_pro_rating_keeps_six_decimals():
    # 7/12 × 100 % × 12.5 = 7.291666…
    assert rules.angka_kredit(jenjang="AHLI_PERTAMA", predikat="BAIK", bulan=7) == D("7.291667")
    assert rules.angka_kredit(jenjang="PEMULA", predikat="SANGAT_BAIK", bulan=6) == D("2.812500")


def test_display_rounds_half_up_to_two_decimals():
    assert rules.ak_display(D("5.625")) == D("5.63")
    assert rules.ak_display(D("2.8125")) == D("2.81")


def test_a_month_count_outside_1_to_12_is_refused():
    for bulan in (0, 13):
        with pytest.raises(ValueError):
            rules.angka_kredit(jenjang="MAHIR", predikat="BAIK", bulan=bulan)


@given(st.sampled_from(list(AK_TABLE)), st.sampled_from(PREDIKAT), st.integers(1, 11))
def test_more_months_never_earn_fewer_credits(jenjang, predikat, bulan):
    assert rules.angka_kredit(jenjang=jenjang, predikat=predikat, bulan=bulan) <= rules.angka_kredit(
        jenjang=jenjang, predikat=predikat, bulan=bulan + 1
    )


def test_thresholds_for_promotion_and_next_jenjang():
    assert rules.AK_KENAIKAN_PANGKAT["AHLI_MUDA"] == 100
    assert rules.AK_KENAIKAN_JENJANG["AHLI_MADYA"] == 450
    assert rules.AK_KENAIKAN_JENJANG["PENYELIA"] is None and rules.AK_KENAIKAN_JENJANG["AHLI_UTAMA"] is None


@pytest.mark.parametrize(
    "kinerja, potensial, box",
    [
        ("DI_ATAS", "RENDAH", 4), ("DI_ATAS", "MENENGAH", 7), ("DI_ATAS", "TINGGI", 9),
        ("SESUAI", "RENDAH", 2), ("SESUAI", "MENENGAH", 5), ("SESUAI", "TINGGI", 8),
        ("DI_BAWAH", "RENDAH", 1), ("DI_BAWAH", "MENENGAH", 3), ("DI_BAWAH", "TINGGI", 6),
    ],
)  # fmt: skip
def test_every_box_of_the_9_box(kinerja, potensial, box):
    assert rules.kotak(kinerja, potensial) == box
    assert rules.REKOMENDASI_KOTAK[box]


def test_the_talent_pool_is_boxes_7_8_9():
    assert sorted(rules.TALENT_POOL) == [7, 8, 9]
    assert "Kelompok Rencana Suksesi" in str(rules.REKOMENDASI_KOTAK[9])


def test_kinerja_axis_takes_the_weaker_of_the_last_two_years():
    assert rules.kinerja_from_history(["SANGAT_BAIK", "SANGAT_BAIK"]) == "DI_ATAS"
    assert rules.kinerja_from_history(["SANGAT_BAIK", "BAIK"]) == "SESUAI"
    assert rules.kinerja_from_history(["BAIK", "KURANG", "SANGAT_BAIK"]) == "DI_BAWAH"
    assert rules.kinerja_from_history([]) is None


@pytest.mark.parametrize(
    "jpm, axis",
    [
        (D("100"), "TINGGI"),
        (D("90"), "TINGGI"),
        (D("89.99"), "MENENGAH"),
        (D("78"), "MENENGAH"),
        (D("77.99"), "RENDAH"),
    ],
)
def test_potensial_axis_from_jpm_at_its_boundaries(jpm, axis):
    assert rules.potensial_axis(jpm) == axis


def test_jpm_caps_each_competency_at_its_standard():
    levels = {"M1": (4, 3), "M2": (2, 3), "SK1": (3, 3)}  # 3 + 2 + 3 over 9
    assert rules.jpm(levels) == D("88.89")
    assert rules.jpm(levels, cap_at_standard=False) == D("100.00")
    assert rules.jpm({}) is None


def test_twenty_jp_a_year_for_pns_only():
    assert rules.jp_kurang(jenis_asn="PNS", jp_tercapai=12) == 8
    assert rules.jp_kurang(jenis_asn="PNS", jp_tercapai=30) == 0
    assert rules.jp_kurang(jenis_asn="PPPK", jp_tercapai=0) == 0
