"""Golongan ruang and pangkat (rules §7.3), and the Pegawai checks built on §7.1–7.3."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.rules import GOLONGAN_PNS, GOLONGAN_PPPK, golongan_urutan, pangkat_golongan_label
from accounts.tests.factories import InstansiFactory, PegawaiFactory

# Copied by hand from rules §7.3, in rank order, so a typo in accounts/rules.py shows here.
PANGKAT_RULES_7_3 = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]
ROMAN_I_TO_XVII = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
]


def test_there_are_exactly_the_17_pns_golongan_of_rules_7_3_in_rank_order():
    assert list(GOLONGAN_PNS) == PANGKAT_RULES_7_3


@pytest.mark.parametrize(("kode", "pangkat"), PANGKAT_RULES_7_3)
def test_each_pns_golongan_prints_its_exact_pangkat(kode, pangkat):
    assert pangkat_golongan_label(kode) == f"{pangkat}, {kode}"


@pytest.mark.parametrize(("urutan", "kode"), [(i + 1, kode) for i, (kode, _p) in enumerate(PANGKAT_RULES_7_3)])
def test_pns_golongan_ranks_from_1_for_i_a_to_17_for_iv_e(urutan, kode):
    assert golongan_urutan(kode) == urutan


def test_higher_pns_golongan_always_has_a_higher_rank():
    ranks = [golongan_urutan(kode) for kode, _p in PANGKAT_RULES_7_3]
    assert ranks == sorted(ranks) == list(range(1, 18))


def test_form_label_for_iii_b_is_penata_muda_tingkat_i():
    assert pangkat_golongan_label("III/b") == "Penata Muda Tingkat I, III/b"


def test_pppk_golongan_are_i_to_xvii():
    assert list(GOLONGAN_PPPK) == ROMAN_I_TO_XVII


@pytest.mark.parametrize(("urutan", "kode"), list(enumerate(ROMAN_I_TO_XVII, start=1)))
def test_pppk_golongan_ranks_1_to_17_and_prints_without_a_pangkat(urutan, kode):
    assert golongan_urutan(kode) == urutan
    assert pangkat_golongan_label(kode) == kode


def test_pppk_golongan_ix_prints_as_ix():
    assert pangkat_golongan_label("IX") == "IX"


@pytest.mark.parametrize("kode", ["III/f", "iii/a", "XVIII", ""])
def test_unknown_golongan_has_no_rank(kode):
    with pytest.raises(ValueError):
        golongan_urutan(kode)


# --- Pegawai.clean: golongan by jenis ASN, and the nomor induk against the record ---------------

PPPK_NI = "199001012022211001"  # born 1 Jan 1990, appointed 2022, male, urut 001


def pns(**kwargs):
    return PegawaiFactory.build(instansi=InstansiFactory(), jenis_asn="PNS", **kwargs)


def pppk(**kwargs):
    defaults = {"nip": PPPK_NI, "tanggal_lahir": datetime.date(1990, 1, 1), "jenis_kelamin": "L", "golongan": "IX"}
    return PegawaiFactory.build(instansi=InstansiFactory(), jenis_asn="PPPK", **{**defaults, **kwargs})


def errors_of(pegawai) -> dict[str, list[ValidationError]]:
    with pytest.raises(ValidationError) as exc:
        pegawai.full_clean()
    return exc.value.error_dict


@pytest.mark.django_db
def test_pns_and_pppk_with_matching_data_pass_the_model_checks():
    pns(nip="196608011988031001", tanggal_lahir=datetime.date(1966, 8, 1), golongan="IV/e").full_clean()
    pppk().full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("golongan", ["I", "IX", "XVII"])
def test_pns_with_a_pppk_golongan_is_refused(golongan):
    errors = errors_of(pns(golongan=golongan))
    assert list(errors) == ["golongan"]
    assert errors["golongan"][0].messages == ["PNS harus memiliki golongan ruang (I/a–IV/e)."]


@pytest.mark.django_db
@pytest.mark.parametrize("golongan", ["I/a", "III/a", "IV/e"])
def test_pppk_with_a_pns_golongan_ruang_is_refused(golongan):
    errors = errors_of(pppk(golongan=golongan))
    assert list(errors) == ["golongan"]
    assert errors["golongan"][0].messages == ["PPPK memakai golongan I–XVII, bukan golongan ruang PNS."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nip", "recorded", "shown"),
    [("196608011988031001", "P", "1 = pria"), ("196608011988032001", "L", "2 = wanita")],
    ids=["male digit recorded as woman", "female digit recorded as man"],
)
def test_pns_whose_nip_sex_digit_disagrees_with_the_recorded_sex_is_refused(nip, recorded, shown):
    errors = errors_of(pns(nip=nip, jenis_kelamin=recorded, tanggal_lahir=datetime.date(1966, 8, 1)))
    assert list(errors) == ["nip"]
    assert errors["nip"][0].code == "sex_mismatch"
    assert errors["nip"][0].messages == [
        f"Digit jenis kelamin di nomor induk ({shown}) tidak sesuai dengan jenis kelamin yang dicatat."
    ]


@pytest.mark.django_db
def test_pppk_whose_ni_sex_digit_disagrees_with_the_recorded_sex_is_refused():
    errors = errors_of(pppk(jenis_kelamin="P"))
    assert errors["nip"][0].code == "sex_mismatch"


@pytest.mark.django_db
def test_tanggal_lahir_that_disagrees_with_the_nip_is_refused():
    errors = errors_of(pns(nip="196608011988031001", tanggal_lahir=datetime.date(1966, 8, 2)))
    assert list(errors) == ["tanggal_lahir"]
    assert errors["tanggal_lahir"][0].messages == [
        "Tanggal lahir tidak sesuai dengan delapan digit pertama nomor induk."
    ]


@pytest.mark.django_db
def test_tanggal_lahir_that_disagrees_with_the_ni_pppk_is_refused():
    assert list(errors_of(pppk(tanggal_lahir=datetime.date(1991, 1, 1)))) == ["tanggal_lahir"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("jenis_asn", "nomor", "code"),
    [("PNS", PPPK_NI, "tmt_month"), ("PPPK", "199001012022121001", "pppk_code")],
    ids=["ni pppk on a pns", "nip on a pppk"],
)
def test_nomor_induk_of_the_other_jenis_asn_is_refused_on_the_nip_field(jenis_asn, nomor, code):
    build = pns if jenis_asn == "PNS" else pppk
    errors = errors_of(
        build(nip=nomor, tanggal_lahir=datetime.date(1990, 1, 1), golongan="III/a" if jenis_asn == "PNS" else "IX")
    )
    assert list(errors) == ["nip"]
    assert errors["nip"][0].code == code


@pytest.mark.django_db
def test_pegawai_prints_pangkat_golongan_and_nip_in_display_form():
    pegawai = pns(nip="196608011988031001", tanggal_lahir=datetime.date(1966, 8, 1), golongan="III/b")
    assert pegawai.pangkat_golongan == "Penata Muda Tingkat I, III/b"
    assert pegawai.nip_display == "19660801 198803 1 001"
    assert pppk(golongan="IX").pangkat_golongan == "IX"
