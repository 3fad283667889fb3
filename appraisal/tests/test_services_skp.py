"""SKP planning services: the workflow, its guards, revisions, cascading and moves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal import services
from appraisal.models import IKI, RHK, SKP, CatatanSKP, SKPPerilaku
from appraisal.tests.factories import add_rhk, approved_chain, open_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def chain(org, year):
    return approved_chain(org, year)


@pytest.fixture
def draft(org, year, chain):
    """The staff member's SKP with one Utama RHK intervening the kepala seksi's first RHK."""
    skp = services.skp_create(pegawai=org.pegawai, periode=year, by=org.pegawai.user)
    parent = chain["kasi"].rhk.order_by("pk").first()
    rhk = services.rhk_save(
        rhk=RHK(skp=skp, uraian="Berkas rujukan terverifikasi", rhk_atasan=parent), by=org.pegawai.user
    )
    services.iki_save(
        iki=IKI(rhk=rhk, aspek="KUANTITAS", uraian="Jumlah berkas", target_min=Decimal("120"), satuan="berkas"),
        by=org.pegawai.user,
    )
    return skp


def test_a_new_skp_gets_its_superiors_form_and_seven_behaviour_rows(org, year):
    skp = services.skp_create(pegawai=org.pegawai, periode=year, by=org.pegawai.user)
    assert skp.pejabat_penilai == org.penilai
    assert skp.atasan_pejabat_penilai == org.atasan_penilai
    assert skp.jenis == "ADM_FUNG"
    assert (skp.mulai, skp.selesai) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert SKPPerilaku.objects.filter(skp=skp).count() == 7


def test_a_jpt_gets_the_jpt_form(org, year):
    assert services.skp_create(pegawai=org.kepala_unit, periode=year, by=org.kepala_unit.user).jenis == "JPT"


def test_a_second_skp_for_the_same_year_is_refused(org, year):
    services.skp_create(pegawai=org.pegawai, periode=year, by=org.pegawai.user)
    with pytest.raises(ValidationError, match="sudah memiliki SKP"):
        services.skp_create(pegawai=org.pegawai, periode=year, by=org.pegawai.user)


def test_intervening_a_rhk_that_is_not_the_supervisors_is_refused(org, year, chain):
    skp = services.skp_create(pegawai=org.pegawai, periode=year, by=org.pegawai.user)
    foreign = chain["kabid"].rhk.first()  # the kepala bidang is not this employee's pejabat penilai
    with pytest.raises(ValidationError) as exc:
        services.rhk_save(rhk=RHK(skp=skp, uraian="Salah induk", rhk_atasan=foreign), by=org.pegawai.user)
    assert "SKP pejabat penilai" in str(exc.value.message_dict["rhk_atasan"])
    assert not RHK.objects.filter(skp=skp).exists()


def test_a_colleague_cannot_edit_someone_elses_skp(org, draft):
    with pytest.raises(PermissionDenied):
        services.rhk_save(rhk=RHK(skp=draft, uraian="Sisipan"), by=org.colleague.user)


def test_a_target_range_upside_down_is_refused_and_nothing_written(org, draft):
    rhk = draft.rhk.get()
    with pytest.raises(ValidationError) as exc:
        services.iki_save(
            iki=IKI(rhk=rhk, uraian="Waktu", target_min=Decimal("5"), target_max=Decimal("3"), satuan="hari"),
            by=org.pegawai.user,
        )
    assert "target_max" in exc.value.message_dict
    assert rhk.iki.count() == 1


def test_submission_without_a_utama_rhk_is_refused_with_the_reason(org, year, chain):
    skp = services.skp_create(pegawai=org.pegawai, periode=year, by=org.pegawai.user)
    add_rhk(skp, "Tugas tambahan", jenis="TAMBAHAN")
    with pytest.raises(ValidationError) as exc:
        services.skp_submit(skp=skp, by=org.pegawai.user)
    assert any("paling sedikit satu RHK Utama" in m for m in exc.value.messages)
    skp.refresh_from_db()
    assert skp.status == "DRAFT"


def test_the_full_workflow_with_a_return_and_mails(org, draft, mailoutbox, django_capture_on_commit_callbacks):
    org.penilai.email, org.pegawai.email = "kasi@dinkes.go.id", "staf@dinkes.go.id"
    org.penilai.save(), org.pegawai.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.skp_submit(skp=draft, by=org.pegawai.user)
    assert mailoutbox[-1].to == ["kasi@dinkes.go.id"]
    with django_capture_on_commit_callbacks(execute=True):
        services.skp_return(skp=draft, by=org.penilai.user, catatan="Target terlalu rendah.")
    assert "Target terlalu rendah." in mailoutbox[-1].body
    draft.refresh_from_db()
    assert draft.status == "REVISI"
    services.skp_submit(skp=draft, by=org.pegawai.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.skp_approve(skp=draft, by=org.penilai.user)
    draft.refresh_from_db()
    assert draft.status == "DISETUJUI"
    assert mailoutbox[-1].to == ["staf@dinkes.go.id"]
    assert draft.snapshot["pegawai"]["nama"] == org.pegawai.nama_lengkap
    assert draft.snapshot["pejabat_penilai"]["jabatan"] == "Kepala Seksi Rujukan"
    steps = list(CatatanSKP.objects.filter(skp=draft).values_list("dari_status", "ke_status"))
    assert steps == [("DRAFT", "DIAJUKAN"), ("DIAJUKAN", "REVISI"), ("REVISI", "DIAJUKAN"), ("DIAJUKAN", "DISETUJUI")]


def test_only_the_pejabat_penilai_decides(org, draft):
    services.skp_submit(skp=draft, by=org.pegawai.user)
    for someone in (org.pegawai, org.other_penilai, org.atasan_penilai):
        with pytest.raises(PermissionDenied):
            services.skp_approve(skp=draft, by=someone.user)


def test_a_return_needs_a_comment(org, draft):
    services.skp_submit(skp=draft, by=org.pegawai.user)
    with pytest.raises(ValidationError, match="Tuliskan catatan"):
        services.skp_return(skp=draft, by=org.penilai.user, catatan="   ")


def test_an_approved_skp_is_locked(org, draft):
    services.skp_submit(skp=draft, by=org.pegawai.user)
    services.skp_approve(skp=draft, by=org.penilai.user)
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        services.rhk_save(rhk=RHK(skp=draft, uraian="Tambahan setelah disetujui"), by=org.pegawai.user)


def test_a_revision_keeps_the_earlier_one_and_moves_subordinate_links(org, year, chain, draft):
    services.skp_submit(skp=draft, by=org.pegawai.user)
    services.skp_approve(skp=draft, by=org.penilai.user)
    kasi = chain["kasi"]
    old_parent = draft.rhk.get().rhk_atasan
    revision = services.skp_start_revision(skp=kasi, by=org.penilai.user, alasan="Prioritas baru dari kepala bidang")
    assert revision.revisi_ke == 1 and revision.status == "DRAFT"
    assert revision.rhk.count() == kasi.rhk.count()
    kasi.refresh_from_db()
    assert kasi.status == "DISETUJUI" and not kasi.is_current
    # The kepala seksi's revision is approved by the kepala bidang.
    services.skp_submit(skp=revision, by=org.penilai.user)
    services.skp_approve(skp=revision, by=org.atasan_penilai.user)
    moved = draft.rhk.get().rhk_atasan
    assert moved.skp == revision and moved.uraian == old_parent.uraian
    assert SKP.objects.filter(pegawai=org.penilai, periode=year).count() == 2


def test_distributing_a_rhk_drafts_it_for_each_subordinate_and_skips_locked_ones(org, year, chain, draft):
    services.skp_submit(skp=draft, by=org.pegawai.user)  # the employee's SKP is now locked
    source = chain["kasi"].rhk.order_by("pk").last()
    result = services.rhk_distribute(rhk=source, to=[org.pegawai, org.colleague], by=org.penilai.user)
    assert result.created == [org.colleague]
    assert result.locked == [org.pegawai]
    colleague_skp = SKP.objects.get(pegawai=org.colleague, periode=year)
    assert colleague_skp.rhk.get().rhk_atasan == source
    again = services.rhk_distribute(rhk=source, to=[org.colleague], by=org.penilai.user)
    assert again.already == [org.colleague]


def test_distributing_to_someone_who_is_not_a_subordinate_is_refused(org, year, chain):
    with pytest.raises(ValidationError, match="bukan bawahan langsung"):
        services.rhk_distribute(rhk=chain["kasi"].rhk.first(), to=[org.other_staff], by=org.penilai.user)


def test_a_move_mid_year_closes_the_running_skp_the_day_before(org, draft):
    closed = services.skp_close_on_move(pegawai_id=org.pegawai.pk, move_date=datetime.date(2026, 7, 1))
    draft.refresh_from_db()
    assert closed == 1
    assert draft.selesai == datetime.date(2026, 6, 30)


def test_approval_freezes_the_wording_of_the_intervened_supervisor_rhk(org, draft, chain):
    services.skp_submit(skp=draft, by=org.pegawai.user)
    services.skp_approve(skp=draft, by=org.penilai.user)
    rhk = draft.rhk.get()
    original = rhk.rhk_atasan.uraian
    RHK.objects.filter(pk=rhk.rhk_atasan_id).update(uraian="Diubah kemudian")
    draft.refresh_from_db()
    assert draft.snapshot["rhk_atasan"] == {str(rhk.pk): original}


def test_switching_to_kuantitatif_leaves_described_targets_that_block_submission(org, year, chain):
    skp = services.skp_create(pegawai=org.pegawai, periode=year, by=org.pegawai.user, pendekatan="KUALITATIF")
    rhk = services.rhk_save(
        rhk=RHK(skp=skp, uraian="Layanan ramah", rhk_atasan=chain["kasi"].rhk.first()), by=org.pegawai.user
    )
    services.iki_save(iki=IKI(rhk=rhk, uraian="Keluhan ditangani", target_text="Semua keluhan"), by=org.pegawai.user)
    services.skp_set_pendekatan(skp=skp, pendekatan="KUANTITATIF", by=org.pegawai.user)
    with pytest.raises(ValidationError) as exc:
        services.skp_submit(skp=skp, by=org.pegawai.user)
    assert any("targetnya belum sesuai pendekatan" in m for m in exc.value.messages)


def test_a_move_through_the_assignment_screen_closes_the_skp_and_a_new_one_follows_the_new_post(
    org, draft, django_capture_on_commit_callbacks
):
    from accounts.models import Penugasan
    from accounts.services import penugasan_create

    with django_capture_on_commit_callbacks(execute=True):
        penugasan_create(
            penugasan=Penugasan(
                pegawai=org.pegawai, jabatan=org.jabatan.staff2, jenis="DEFINITIF", mulai=datetime.date(2026, 7, 1)
            )
        )
    draft.refresh_from_db()
    org.pegawai.refresh_from_db()
    assert draft.selesai == datetime.date(2026, 6, 30)
    new = services.skp_create(pegawai=org.pegawai, periode=draft.periode, by=org.pegawai.user)
    assert (new.mulai, new.pejabat_penilai) == (datetime.date(2026, 7, 1), org.other_penilai)
    assert SKP.objects.filter(pegawai=org.pegawai).count() == 2  # both stay visible
