"""Objective evidence (issue 10): realisations from a file, from another system and from the SKM,
the catalogue's hold on an IKI, and the self-assessment — with every refusal writing nothing."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal import rules
from appraisal import services as skp_services
from appraisal import services_evaluasi as ev
from appraisal import services_objektif as obj
from appraisal.models import IKI, CoreValue, Evaluasi, PenilaianDiri, PeriodeEvaluasi, Realisasi
from appraisal.tests.factories import approved_chain, approved_skp, katalog, open_year, sourced_iki

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


@pytest.fixture
def chain(org, year):
    return approved_chain(org, year)


@pytest.fixture
def skp(org, year, chain):
    return approved_skp(org.pegawai, year, rhk=("Pelayanan pasien",), parent=chain["kasi"].rhk.first())


@pytest.fixture
def pasien(org):
    return katalog(org)


@pytest.fixture
def iki(skp, pasien):
    return sourced_iki(skp, pasien)


def _csv(text: str, name="pasien.csv"):
    return SimpleUploadedFile(name, text.encode())


# --- Catalogue --------------------------------------------------------------------------------------


def test_an_iki_taken_from_the_catalogue_is_worded_and_sourced_the_catalogue_way(org, year, pasien):
    skp = skp_services.skp_create(pegawai=org.other_staff, periode=year, by=org.other_staff.user)
    rhk = skp.rhk.create(uraian="Pelayanan obat", jenis="UTAMA")
    iki = skp_services.iki_save(
        iki=IKI(rhk=rhk, uraian="kata-kata sendiri", satuan="orang", target_min=Decimal("100"), katalog=pasien),
        by=org.other_staff.user,
    )
    assert (iki.uraian, iki.satuan, iki.sumber) == ("Jumlah pasien dilayani", "pasien", "BERKAS")


def test_a_file_source_without_a_catalogue_indicator_is_refused(org, year):
    skp = skp_services.skp_create(pegawai=org.other_staff, periode=year, by=org.other_staff.user)
    rhk = skp.rhk.create(uraian="Pelayanan obat", jenis="UTAMA")
    with pytest.raises(ValidationError, match="katalog"):
        skp_services.iki_save(
            iki=IKI(rhk=rhk, uraian="Resep", satuan="resep", target_min=Decimal("10"), sumber="BERKAS"),
            by=org.other_staff.user,
        )
    assert not IKI.objects.filter(rhk=rhk).exists()


def test_another_instansis_catalogue_indicator_cannot_be_used(org, outsider, year):
    foreign = katalog(outsider)
    skp = skp_services.skp_create(pegawai=org.other_staff, periode=year, by=org.other_staff.user)
    rhk = skp.rhk.create(uraian="Pelayanan obat", jenis="UTAMA")
    with pytest.raises(ValidationError, match="tidak tersedia"):
        skp_services.iki_save(
            iki=IKI(rhk=rhk, uraian="x", target_min=Decimal("10"), katalog=foreign), by=org.other_staff.user
        )


# --- From a file ------------------------------------------------------------------------------------


def test_a_clean_file_is_previewed_then_applied_and_each_value_says_where_it_came_from(org, iki, tw1):
    impor = obj.realisasi_import_preview(
        instansi=org.instansi,
        periode=tw1,
        katalog=iki.katalog,
        upload=_csv(f"NIP;Jumlah\n{org.pegawai.nip};312\n"),
        by=org.hr_admin,
    )
    assert impor.jumlah_salah == 0 and impor.laporan["counts"]["create"] == 1
    assert not Realisasi.objects.exists()  # the dry-run writes nothing
    obj.realisasi_import_apply(impor=impor, by=org.hr_admin)
    realisasi = Realisasi.objects.get(iki=iki, periode_evaluasi=tw1)
    assert (realisasi.nilai, realisasi.sumber, realisasi.impor) == (Decimal("312"), "BERKAS", impor)
    assert realisasi.history.first().history_user == org.hr_admin


def test_the_dry_run_names_every_bad_row_and_nothing_is_written(org, outsider, iki, tw1):
    pppk_like = "1" * 18
    text = (
        "nip,nilai,periode\n"
        f"{org.pegawai.nip},abc,TRIWULAN I\n"  # non-numeric
        "12345,10,TRIWULAN I\n"  # bad NIP
        f"{outsider.pegawai.nip},10,TRIWULAN I\n"  # another instansi's employee
        f"{org.penilai.nip},10,TRIWULAN II\n"  # wrong period
        f"{pppk_like},10,\n"  # unknown
        f"{org.colleague.nip},10,TRIWULAN I\n"  # no such IKI in the colleague's SKP
    )
    impor = obj.realisasi_import_preview(
        instansi=org.instansi, periode=tw1, katalog=iki.katalog, upload=_csv(text), by=org.hr_admin
    )
    errors = {row["line"]: " ".join(row["errors"]) for row in impor.laporan["rows"]}
    assert "bukan angka" in errors[2]
    assert "18 angka" in errors[3]
    assert "tidak dikenal" in errors[4]
    assert "bukan periode impor" in errors[5]
    assert "tidak dikenal" in errors[6]
    assert "tidak memiliki IKI" in errors[7]
    with pytest.raises(ValidationError):
        obj.realisasi_import_apply(impor=impor, by=org.hr_admin)
    assert not Realisasi.objects.exists()


def test_a_duplicate_row_is_named_with_the_line_it_repeats(org, iki, tw1):
    text = f"nip,nilai\n{org.pegawai.nip},10\n{org.pegawai.nip},11\n"
    report, _values, _touched = obj.realisasi_import_check(
        instansi=org.instansi, periode=tw1, katalog=iki.katalog, upload=io.BytesIO(text.encode())
    )
    assert report.rows[1].errors == ["NIP ini sudah ada di baris 2."]


def test_applying_twice_or_reimporting_the_same_file_changes_nothing(org, iki, tw1):
    upload = f"nip,nilai\n{org.pegawai.nip},312\n"
    impor = obj.realisasi_import_preview(
        instansi=org.instansi, periode=tw1, katalog=iki.katalog, upload=_csv(upload), by=org.hr_admin
    )
    obj.realisasi_import_apply(impor=impor, by=org.hr_admin)
    with pytest.raises(ValidationError, match="sudah diterapkan"):
        obj.realisasi_import_apply(impor=impor, by=org.hr_admin)
    again = obj.realisasi_import_preview(
        instansi=org.instansi, periode=tw1, katalog=iki.katalog, upload=_csv(upload), by=org.hr_admin
    )
    assert again.laporan["counts"] == {"create": 0, "update": 0, "unchanged": 1}
    history = Realisasi.history.count()
    obj.realisasi_import_apply(impor=again, by=org.hr_admin)
    assert Realisasi.history.count() == history


def test_a_finalised_evaluation_is_not_overwritten_by_a_file(org, iki, tw1):
    Evaluasi.objects.create(
        instansi=org.instansi,
        skp=iki.rhk.skp,
        periode_evaluasi=tw1,
        status="FINAL",
        rating_hasil_kerja="SESUAI",
        rating_perilaku_kerja="SESUAI",
        predikat="BAIK",
    )
    report, _v, _t = obj.realisasi_import_check(
        instansi=org.instansi,
        periode=tw1,
        katalog=iki.katalog,
        upload=io.BytesIO(f"nip,nilai\n{org.pegawai.nip},5\n".encode()),
    )
    assert "sudah final" in report.rows[0].errors[0]


def test_only_the_instansis_hr_admin_imports(org, outsider, iki, tw1):
    for who in (org.pegawai.user, outsider.hr_admin):
        with pytest.raises(PermissionDenied):
            obj.realisasi_import_preview(
                instansi=org.instansi, periode=tw1, katalog=iki.katalog, upload=_csv("nip,nilai\n"), by=who
            )


def test_the_employee_cannot_type_over_a_sourced_realisation(org, iki, tw1):
    with pytest.raises(ValidationError, match="tidak dapat diisi pegawai"):
        ev.realisasi_save(iki=iki, periode=tw1, nilai=Decimal("999"), uraian="", by=org.pegawai.user)
    assert not Realisasi.objects.exists()


def test_the_dry_run_takes_a_constant_number_of_queries(org, year, iki, tw1, django_assert_max_num_queries):
    lines = "".join(f"{n:018d},{n}\n" for n in range(200))
    with django_assert_max_num_queries(6):
        obj.realisasi_import_check(
            instansi=org.instansi,
            periode=tw1,
            katalog=iki.katalog,
            upload=io.BytesIO(f"nip,nilai\n{org.pegawai.nip},1\n{lines}".encode()),
        )


# --- Pushed by another system ----------------------------------------------------------------------


@pytest.fixture
def api_iki(org, skp):
    return sourced_iki(skp, katalog(org, "waktu-tunggu", nama="Waktu tunggu rata-rata", sumber="API"))


def _push(nip, kode="waktu-tunggu", nilai=14, **extra):
    return {"tahun": 2026, "periode": "TRIWULAN I", "data": [{"nip": nip, "indikator": kode, "nilai": nilai}], **extra}


def test_a_token_pushes_values_for_its_units_employees(org, api_iki, tw1):
    token, raw = obj.token_create(unit_kerja=org.seksi, nama_sistem="SIMPUS", by=org.hr_admin)
    assert obj.token_authenticate(raw) == token and token.token_hash != raw
    result = obj.realisasi_push(token=token, payload=_push(org.pegawai.nip))
    assert result == {"diterima": 1, "dibuat": 1, "diubah": 0}
    realisasi = Realisasi.objects.get(iki=api_iki, periode_evaluasi=tw1)
    assert (realisasi.nilai, realisasi.sumber, realisasi.token) == (Decimal("14"), "API", token)


def test_a_token_of_another_unit_is_refused_with_403_and_writes_nothing(org, api_iki):
    token, _raw = obj.token_create(unit_kerja=org.other_seksi, nama_sistem="SIMPUS", by=org.hr_admin)
    with pytest.raises(obj.PushRefused) as exc:
        obj.realisasi_push(token=token, payload=_push(org.pegawai.nip))
    assert exc.value.status == 403
    assert not Realisasi.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {"data": []},
        {"tahun": "2026", "periode": "TRIWULAN I", "data": [{}]},
        {"tahun": 2031, "periode": "TRIWULAN I", "data": [{"nip": "x"}]},
    ],
)
def test_a_malformed_batch_is_refused_with_400(org, api_iki, payload):
    token, _raw = obj.token_create(unit_kerja=org.seksi, nama_sistem="SIMPUS", by=org.hr_admin)
    with pytest.raises(obj.PushRefused) as exc:
        obj.realisasi_push(token=token, payload=payload)
    assert exc.value.status == 400 and exc.value.errors[0]["pesan"]


@pytest.mark.parametrize("nilai", ["banyak", None, -1, True, "1e9999", float("nan"), float("inf")])
def test_a_bad_value_refuses_the_whole_batch(org, api_iki, nilai):
    token, _raw = obj.token_create(unit_kerja=org.seksi, nama_sistem="SIMPUS", by=org.hr_admin)
    payload = _push(org.pegawai.nip)
    payload["data"].insert(0, {"nip": org.pegawai.nip, "indikator": "waktu-tunggu", "nilai": nilai})
    with pytest.raises(obj.PushRefused) as exc:
        obj.realisasi_push(token=token, payload=payload)
    assert exc.value.status == 400
    assert not Realisasi.objects.exists()


def test_a_revoked_or_unknown_token_does_not_authenticate(org):
    token, raw = obj.token_create(unit_kerja=org.seksi, nama_sistem="SIMPUS", by=org.hr_admin)
    obj.token_revoke(token=token, by=org.hr_admin)
    assert obj.token_authenticate(raw) is None
    assert obj.token_authenticate("sikap_salah") is None
    assert obj.token_authenticate("") is None


# --- From the SKM ----------------------------------------------------------------------------------


def test_skm_sourced_ikis_take_the_units_ikm(org, skp, tw1, monkeypatch):
    unit_iki = sourced_iki(skp, katalog(org, "ikm-unit", nama="IKM unit", sumber="SKM"))
    officer_iki = sourced_iki(skp, katalog(org, "skm-petugas", nama="Nilai SKM petugas", sumber="SKM_PETUGAS"))
    monkeypatch.setattr("surveys.selectors.ikm_by_unit_kerja", lambda **kw: {org.pegawai.unit_id: Decimal("82.5")})
    monkeypatch.setattr("surveys.selectors.ikm_by_petugas", lambda **kw: {org.pegawai.pk: Decimal("90.1")})
    assert obj.realisasi_from_skm(instansi=org.instansi, periode=tw1) == 2
    got = dict(Realisasi.objects.values_list("iki_id", "nilai"))
    assert got == {unit_iki.pk: Decimal("82.5"), officer_iki.pk: Decimal("90.1")}
    assert set(Realisasi.objects.values_list("sumber", flat=True)) == {"SKM", "SKM_PETUGAS"}


def test_a_final_evaluation_of_another_period_does_not_stop_the_skm_fill(org, skp, tw1, monkeypatch):
    tw2 = PeriodeEvaluasi.objects.get(periode_skp=tw1.periode_skp, jenis="TRIWULANAN", ke=2)
    Evaluasi.objects.create(
        instansi=org.instansi, skp=skp, periode_evaluasi=tw1, status="FINAL",
        rating_hasil_kerja="SESUAI", rating_perilaku_kerja="SESUAI", predikat="BAIK",
    )  # fmt: skip
    iki = sourced_iki(skp, katalog(org, "ikm-unit", nama="IKM unit", sumber="SKM"))
    monkeypatch.setattr("surveys.selectors.ikm_by_unit_kerja", lambda **kw: {org.pegawai.unit_id: Decimal("82.5")})
    monkeypatch.setattr("surveys.selectors.ikm_by_petugas", lambda **kw: {})
    assert obj.realisasi_from_skm(instansi=org.instansi, periode=tw1) == 0  # final: left alone
    assert obj.realisasi_from_skm(instansi=org.instansi, periode=tw2) == 1
    assert Realisasi.objects.get(iki=iki, periode_evaluasi=tw2).nilai == Decimal("82.5")


# --- Self-assessment --------------------------------------------------------------------------------


def test_the_employee_sends_a_complete_self_assessment_and_it_freezes(org, skp, tw1):
    per_rhk = {rhk.pk: "DI_ATAS" for rhk in skp.rhk.all()}
    per_value = {cv.pk: "SESUAI" for cv in CoreValue.objects.all()}
    draft = obj.penilaian_diri_save(skp=skp, periode=tw1, per_rhk=per_rhk, refleksi="Draf", by=org.pegawai.user)
    assert draft.status == "DRAF" and draft.butir.count() == len(per_rhk)
    with pytest.raises(ValidationError, match="Lengkapi"):
        obj.penilaian_diri_save(skp=skp, periode=tw1, per_rhk=per_rhk, kirim=True, by=org.pegawai.user)
    sent = obj.penilaian_diri_save(
        skp=skp,
        periode=tw1,
        per_rhk=per_rhk,
        per_value=per_value,
        refleksi="Target tercapai",
        kirim=True,
        by=org.pegawai.user,
    )
    assert sent.status == "DIKIRIM" and sent.butir.count() == len(per_rhk) + 7
    with pytest.raises(ValidationError, match="sudah dikirim"):
        obj.penilaian_diri_save(skp=skp, periode=tw1, refleksi="ubah", by=org.pegawai.user)
    assert PenilaianDiri.objects.get().refleksi == "Target tercapai"


def test_only_the_owner_fills_the_self_assessment(org, skp, tw1):
    for who in (org.penilai.user, org.colleague.user, org.hr_admin):
        with pytest.raises(PermissionDenied):
            obj.penilaian_diri_save(skp=skp, periode=tw1, refleksi="x", by=who)
    assert not PenilaianDiri.objects.exists()


def test_a_rating_outside_the_three_levels_is_refused(org, skp, tw1):
    with pytest.raises(ValidationError):
        obj.penilaian_diri_save(skp=skp, periode=tw1, per_rhk={skp.rhk.first().pk: "LUAR_BIASA"}, by=org.pegawai.user)


@pytest.mark.parametrize(
    "capaian,expected",
    [
        (None, None),
        (Decimal("100.01"), "DI_ATAS"),
        (Decimal("100"), "SESUAI"),
        (Decimal("99.99"), "DI_BAWAH"),
        (Decimal("0"), "DI_BAWAH"),
        (Decimal("150"), "DI_ATAS"),
    ],
)
def test_the_achievement_points_to_an_expectation_level(capaian, expected):
    assert rules.rating_of_capaian(capaian) == expected


def test_a_gap_of_two_levels_is_large_and_one_is_not():
    assert rules.rating_gap("DI_ATAS", "DI_BAWAH") == 2
    assert obj.large_gaps(("DI_ATAS", "DI_BAWAH"))
    assert not obj.large_gaps(("DI_ATAS", "SESUAI"), ("SESUAI", None))
