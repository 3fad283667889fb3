"""The pure SKP-planning rules (rules §1.4, §1.5, §1.10, §9.3)."""

import datetime
from decimal import Decimal

import pytest

from appraisal import rules


def test_berakhlak_has_seven_values_with_three_indicators_each():
    assert [nama for _, nama, _ in rules.BERAKHLAK] == [
        "Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif",
    ]  # fmt: skip
    assert sum(len(panduan) for _, _, panduan in rules.BERAKHLAK) == 21


def test_default_year_and_deadline():
    assert rules.default_period(2026) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert rules.default_deadline(2026) == datetime.date(2026, 1, 31)


@pytest.mark.parametrize(
    "jenis, expected",
    [
        ("JPT_UTAMA", "JPT"), ("JPT_MADYA", "JPT"), ("JPT_PRATAMA", "JPT"),
        ("ADMINISTRATOR", "ADM_FUNG"), ("PENGAWAS", "ADM_FUNG"), ("PELAKSANA", "ADM_FUNG"),
        ("FUNGSIONAL_KEAHLIAN", "ADM_FUNG"), ("FUNGSIONAL_KETERAMPILAN", "ADM_FUNG"),
    ],
)  # fmt: skip
def test_the_form_follows_the_jabatan_group(jenis, expected):
    assert rules.jenis_skp_for(jenis) == expected


def test_a_kuantitatif_target_must_be_a_number():
    problems = rules.target_problems(pendekatan="KUANTITATIF", target_min=None, target_max=None, target_text="banyak")
    assert "target berupa angka" in str(problems["target_min"])


def test_a_range_with_min_above_max_is_refused():
    problems = rules.target_problems(
        pendekatan="KUANTITATIF", target_min=Decimal("10"), target_max=Decimal("5"), target_text=""
    )
    assert "tidak boleh lebih besar" in str(problems["target_max"])


def test_a_range_with_equal_bounds_and_a_plain_target_are_fine():
    for target_max in (None, Decimal("10")):
        assert not rules.target_problems(
            pendekatan="KUANTITATIF", target_min=Decimal("10"), target_max=target_max, target_text=""
        )


def test_a_kualitatif_target_needs_a_description():
    assert "uraian target" in str(
        rules.target_problems(pendekatan="KUALITATIF", target_min=None, target_max=None, target_text="  ")[
            "target_text"
        ]
    )
    assert not rules.target_problems(
        pendekatan="KUALITATIF", target_min=None, target_max=None, target_text="Laporan diterima pimpinan"
    )


def fact(**overrides):
    values = {
        "uraian": "Layanan rujukan",
        "jenis": "UTAMA",
        "has_parent": True,
        "parent_is_from_supervisor": True,
        "perspektif": "",
        "jumlah_iki": 1,
    }
    return rules.RHKFacts(**{**values, **overrides})


def test_a_complete_skp_can_be_submitted():
    assert rules.submission_problems(jenis_skp="ADM_FUNG", is_top_of_chain=False, rhk=[fact()]) == []


def test_an_skp_without_a_utama_rhk_cannot_be_submitted():
    problems = rules.submission_problems(jenis_skp="ADM_FUNG", is_top_of_chain=False, rhk=[fact(jenis="TAMBAHAN")])
    assert any("paling sedikit satu RHK Utama" in p for p in problems)


def test_a_utama_rhk_must_intervene_the_supervisors_rhk():
    missing = rules.submission_problems(jenis_skp="ADM_FUNG", is_top_of_chain=False, rhk=[fact(has_parent=False)])
    foreign = rules.submission_problems(
        jenis_skp="ADM_FUNG", is_top_of_chain=False, rhk=[fact(parent_is_from_supervisor=False)]
    )
    assert any("belum mengintervensi" in p for p in missing)
    assert any("bukan milik SKP pejabat penilai" in p for p in foreign)


def test_the_head_of_the_chain_needs_no_parent():
    assert (
        rules.submission_problems(
            jenis_skp="JPT", is_top_of_chain=True, rhk=[fact(has_parent=False, perspektif="ANGGARAN")]
        )
        == []
    )


def test_a_jpt_rhk_needs_a_perspektif_and_every_rhk_an_iki():
    problems = rules.submission_problems(jenis_skp="JPT", is_top_of_chain=False, rhk=[fact(jumlah_iki=0)])
    assert any("wajib memiliki perspektif" in p for p in problems)
    assert any("belum memiliki indikator" in p for p in problems)
