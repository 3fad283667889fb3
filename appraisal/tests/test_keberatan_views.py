"""The objection screens (PP 30/2019 Ps 59, rules §2.4) as the employee, the pejabat penilai,
the atasan pejabat penilai, the HR admin and everyone else meet them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Pegawai
from accounts.tests.factories import pegawai_in_post, refresh
from appraisal import services_evaluasi as ev
from appraisal.models import Evaluasi, Keberatan, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year

pytestmark = pytest.mark.django_db

ALASAN = "Realisasi rujukan saya 120 % dari target; bukti terlampir."


@pytest.fixture
def year(org):
    return open_year(org)


@pytest.fixture
def tw1(year):
    return PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)


@pytest.fixture
def chain(org, year):
    return approved_chain(org, year)


def final_evaluation(org, pegawai, year, chain, periode, hasil="SESUAI", perilaku="SESUAI") -> Evaluasi:
    """A FINAL evaluation of ``pegawai`` (rated by org.penilai) — the state an objection starts from."""
    skp = approved_skp(pegawai, year, rhk=("Berkas rujukan terverifikasi",), parent=chain["kasi"].rhk.first())
    evaluasi = ev.evaluasi_open(skp=skp, periode=periode, by=org.penilai.user)
    evaluasi = ev.evaluasi_save(
        evaluasi=evaluasi,
        versi=evaluasi.versi,
        by=org.penilai.user,
        rating_hasil_kerja=hasil,
        rating_perilaku_kerja=perilaku,
    )
    return ev.evaluasi_finalize(evaluasi=evaluasi, by=org.penilai.user, justifikasi="Unit kecil")


@pytest.fixture
def final(org, year, chain, tw1):
    return final_evaluation(org, org.pegawai, year, chain, tw1)  # Sesuai × Sesuai = Baik


@pytest.fixture
def keberatan(org, final):
    return ev.keberatan_submit(evaluasi=final, alasan=ALASAN, by=org.pegawai.user)


def create_url(evaluasi):
    return reverse("appraisal:keberatan_create", args=[evaluasi.pk])


def url(name, keberatan):
    return reverse(f"appraisal:{name}", args=[keberatan.pk])


def text(response) -> str:
    """The visible text of a page, whitespace collapsed."""
    body = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


DIUBAH_SANGAT_BAIK = {
    "keputusan": "DIUBAH",
    "rating_hasil_kerja": "DI_ATAS",
    "rating_perilaku_kerja": "DI_ATAS",
    "pertimbangan": "Bukti realisasi kuat.",
}


# --- The whole journey -------------------------------------------------------------------------------


def test_an_objection_is_heard_and_changes_the_result_keeping_the_original(
    as_user, org, final, mailoutbox, django_capture_on_commit_callbacks
):
    Pegawai.objects.filter(pk=org.atasan_penilai.pk).update(email="kabid@uji.go.id")
    deadline = ev.keberatan_deadline(final)

    # The employee sees the result and the deadline, and objects with reasons …
    client = as_user(org.pegawai)
    page = text(client.get(create_url(final)))
    assert "Baik" in page and "Sesuai Ekspektasi" in page
    assert f"paling lambat {deadline.day} " in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(final), {"alasan": ALASAN})
    keberatan = Keberatan.objects.get(evaluasi=final)
    assert response["Location"] == url("keberatan_detail", keberatan)
    assert (keberatan.status, keberatan.alasan) == ("DIAJUKAN", ALASAN)
    assert [m.to for m in mailoutbox] == [["kabid@uji.go.id"]]  # the atasan pejabat penilai is told

    # … the atasan pejabat penilai asks both sides to explain …
    client = as_user(org.atasan_penilai)
    assert "Minta klarifikasi" in text(client.get(url("keberatan_detail", keberatan)))
    client.post(url("keberatan_request_clarification", keberatan))
    keberatan.refresh_from_db()
    assert keberatan.status == "KLARIFIKASI"

    # … the employee and the pejabat penilai each explain …
    as_user(org.pegawai).post(url("keberatan_clarify", keberatan), {"text": "Target tercapai 120 %."})
    as_user(org.penilai).post(url("keberatan_clarify", keberatan), {"text": "Perilaku tetap sesuai."})
    keberatan.refresh_from_db()
    assert (keberatan.klarifikasi_pegawai, keberatan.klarifikasi_penilai) == (
        "Target tercapai 120 %.",
        "Perilaku tetap sesuai.",
    )

    # … and the atasan changes the result: first a confirmation showing the computed predikat …
    client = as_user(org.atasan_penilai)
    confirm = client.post(url("keberatan_decide", keberatan), DIUBAH_SANGAT_BAIK)
    assert confirm.status_code == 200
    assert "Sangat Baik" in text(confirm) and "bersifat final" in text(confirm)
    final.refresh_from_db()
    assert final.predikat == "BAIK"  # nothing written before the confirmation
    # … then the confirmed decision.
    response = client.post(url("keberatan_decide", keberatan), {**DIUBAH_SANGAT_BAIK, "konfirmasi": "on"})
    assert response["Location"] == url("keberatan_detail", keberatan)
    final.refresh_from_db()
    keberatan.refresh_from_db()
    assert (final.rating_hasil_kerja, final.rating_perilaku_kerja, final.predikat) == (
        "DI_ATAS",
        "DI_ATAS",
        "SANGAT_BAIK",
    )
    assert (keberatan.status, keberatan.predikat_asli, keberatan.rating_hasil_kerja_asli) == (
        "DIUBAH",
        "BAIK",
        "SESUAI",
    )

    # Afterwards the page is read-only and shows the original beside the final result.
    page = as_user(org.pegawai).get(url("keberatan_detail", keberatan)).content.decode()
    asli, akhir = (re.search(rf'data-hasil="{m}".*?</dl>', page, re.S).group(0) for m in ("asli", "akhir"))
    assert 'data-predikat="BAIK"' in asli and 'data-predikat="SANGAT_BAIK"' in akhir
    assert "Bukti realisasi kuat." in page
    assert (
        "data-decide-form" not in as_user(org.atasan_penilai).get(url("keberatan_detail", keberatan)).content.decode()
    )


def test_the_atasan_may_uphold_the_result(as_user, org, final, keberatan):
    client = as_user(org.atasan_penilai)
    data = {"keputusan": "TETAP", "pertimbangan": "Penilaian sudah sesuai bukti.", "konfirmasi": "on"}
    client.post(url("keberatan_decide", keberatan), data)
    keberatan.refresh_from_db()
    final.refresh_from_db()
    assert (keberatan.status, final.predikat) == ("TETAP", "BAIK")


def test_the_timeline_records_each_step_as_it_happens(as_user, org, keberatan):
    client = as_user(org.pegawai)
    page = client.get(url("keberatan_detail", keberatan)).content.decode()
    done = set(re.findall(r'data-step="(\w+)">\s*<i [^>]*class="bi bi-check-circle-fill', page))
    assert done == {"DIAJUKAN"}
    ev.keberatan_request_clarification(keberatan=keberatan, by=org.atasan_penilai.user)
    ev.keberatan_clarify(keberatan=keberatan, text="Penjelasan saya.", by=org.pegawai.user)
    page = client.get(url("keberatan_detail", keberatan)).content.decode()
    done = set(re.findall(r'data-step="(\w+)">\s*<i [^>]*class="bi bi-check-circle-fill', page))
    assert done == {"DIAJUKAN", "KLARIFIKASI", "PEGAWAI"}


# --- Refusals ---------------------------------------------------------------------------------------------


def test_a_colleague_and_an_outsider_get_404_on_every_objection_page(as_user, org, outsider, final, keberatan):
    for someone in (org.colleague, org.other_penilai, outsider.hr_admin, outsider.penilai):
        client = as_user(someone)
        assert client.get(create_url(final)).status_code == 404
        assert client.get(url("keberatan_detail", keberatan)).status_code == 404
        assert client.post(url("keberatan_decide", keberatan), DIUBAH_SANGAT_BAIK).status_code == 404
        assert client.post(url("keberatan_clarify", keberatan), {"text": "x"}).status_code == 404
        assert client.post(url("keberatan_request_clarification", keberatan)).status_code == 404
    keberatan.refresh_from_db()
    assert (keberatan.status, keberatan.klarifikasi_penilai) == ("DIAJUKAN", "")


def test_those_who_may_see_the_evaluation_but_are_not_its_employee_get_403_on_objecting(as_user, org, final):
    for someone in (org.penilai, org.atasan_penilai, org.hr_admin):
        assert as_user(someone).get(create_url(final)).status_code == 403
        assert as_user(someone).post(create_url(final), {"alasan": ALASAN}).status_code == 403
    assert not Keberatan.objects.exists()


def test_the_people_of_the_objection_and_the_hr_admin_may_read_it(as_user, org, keberatan):
    for someone in (org.pegawai, org.penilai, org.atasan_penilai, org.hr_admin):
        assert as_user(someone).get(url("keberatan_detail", keberatan)).status_code == 200


@pytest.mark.parametrize("who", ["penilai", "pegawai"])
def test_only_the_atasan_decides(as_user, org, final, keberatan, who):
    client = as_user(getattr(org, who))
    response = client.post(url("keberatan_decide", keberatan), {**DIUBAH_SANGAT_BAIK, "konfirmasi": "on"})
    assert response.status_code == 403
    assert client.post(url("keberatan_request_clarification", keberatan)).status_code == 403
    keberatan.refresh_from_db()
    final.refresh_from_db()
    assert (keberatan.status, final.predikat) == ("DIAJUKAN", "BAIK")


def test_the_atasan_does_not_write_a_clarification(as_user, org, keberatan):
    ev.keberatan_request_clarification(keberatan=keberatan, by=org.atasan_penilai.user)
    assert as_user(org.atasan_penilai).post(url("keberatan_clarify", keberatan), {"text": "x"}).status_code == 403


def test_objecting_after_fourteen_days_is_refused_with_the_message(as_user, org, final):
    Evaluasi.objects.filter(pk=final.pk).update(difinalkan_pada=timezone.now() - datetime.timedelta(days=15))
    client = as_user(org.pegawai)
    page = client.get(create_url(final)).content.decode()
    assert "data-keberatan-form" not in page and "data-window-closed" in page
    response = client.post(create_url(final), {"alasan": ALASAN})
    assert "Batas waktu keberatan (14 hari sejak hasil diterima) sudah lewat." in text(response)
    assert not Keberatan.objects.exists()


def test_objecting_on_the_fourteenth_day_is_still_possible(as_user, org, final):
    Evaluasi.objects.filter(pk=final.pk).update(difinalkan_pada=timezone.now() - datetime.timedelta(days=14))
    client = as_user(org.pegawai)
    assert "data-keberatan-form" in client.get(create_url(final)).content.decode()
    client.post(create_url(final), {"alasan": ALASAN})
    assert Keberatan.objects.filter(evaluasi=final).exists()


def test_objecting_twice_is_refused(as_user, org, final, keberatan):
    client = as_user(org.pegawai)
    assert client.get(create_url(final))["Location"] == url("keberatan_detail", keberatan)
    response = client.post(create_url(final), {"alasan": "Sekali lagi"})
    assert "Keberatan atas evaluasi ini sudah pernah diajukan." in text(response)
    assert list(Keberatan.objects.values_list("alasan", flat=True)) == [ALASAN]


def test_an_objection_needs_its_reasons(as_user, org, final):
    response = as_user(org.pegawai).post(create_url(final), {"alasan": "   "})
    assert response.status_code == 200 and "data-keberatan-form" in response.content.decode()
    assert not Keberatan.objects.exists()


def test_a_draft_evaluation_has_no_objection_page(as_user, org, year, chain, tw1):
    skp = approved_skp(org.pegawai, year, rhk=("Berkas",), parent=chain["kasi"].rhk.first())
    draft = ev.evaluasi_open(skp=skp, periode=tw1, by=org.penilai.user)
    assert as_user(org.pegawai).get(create_url(draft)).status_code == 404


def test_clarifying_before_the_atasan_asks_is_refused(as_user, org, keberatan):
    response = as_user(org.pegawai).post(url("keberatan_clarify", keberatan), {"text": "Terlalu cepat"}, follow=True)
    assert "setelah atasan pejabat penilai memintanya" in text(response)
    keberatan.refresh_from_db()
    assert keberatan.klarifikasi_pegawai == ""


def test_a_changed_result_needs_both_new_ratings(as_user, org, keberatan):
    data = {**DIUBAH_SANGAT_BAIK, "rating_perilaku_kerja": ""}
    response = as_user(org.atasan_penilai).post(url("keberatan_decide", keberatan), data)
    assert "Pilih rating baru bila hasil diubah." in text(response)
    assert "data-final-warning" not in response.content.decode()  # no confirmation for an incomplete decision


def test_a_changed_result_equal_to_the_original_is_refused(as_user, org, final, keberatan):
    data = {**DIUBAH_SANGAT_BAIK, "rating_hasil_kerja": "SESUAI", "rating_perilaku_kerja": "SESUAI", "konfirmasi": "on"}
    response = as_user(org.atasan_penilai).post(url("keberatan_decide", keberatan), data)
    assert "Rating baru sama dengan hasil semula" in text(response)
    keberatan.refresh_from_db()
    assert keberatan.status == "DIAJUKAN"


def test_the_decision_is_final(as_user, org, final, keberatan):
    client = as_user(org.atasan_penilai)
    client.post(url("keberatan_decide", keberatan), {**DIUBAH_SANGAT_BAIK, "konfirmasi": "on"})
    again = {"keputusan": "TETAP", "pertimbangan": "Berubah pikiran", "konfirmasi": "on"}
    response = client.post(url("keberatan_decide", keberatan), again, follow=True)
    assert "keputusan bersifat final" in text(response)
    keberatan.refresh_from_db()
    final.refresh_from_db()
    assert (keberatan.status, keberatan.pertimbangan, final.predikat) == (
        "DIUBAH",
        "Bukti realisasi kuat.",
        "SANGAT_BAIK",
    )


def test_going_back_from_the_confirmation_keeps_the_choices(as_user, org, keberatan):
    response = as_user(org.atasan_penilai).post(
        url("keberatan_decide", keberatan), {**DIUBAH_SANGAT_BAIK, "kembali": "1"}
    )
    page = response.content.decode()
    assert re.search(r'value="DIUBAH"[^>]*checked', page)
    assert "Bukti realisasi kuat." in page
    keberatan.refresh_from_db()
    assert keberatan.status == "DIAJUKAN"


# --- Inbox ---------------------------------------------------------------------------------------------


def test_the_inbox_shows_each_role_its_objections(as_user, org, outsider, keberatan):
    Keberatan.objects.filter(pk=keberatan.pk).update(diajukan_pada=timezone.now() - datetime.timedelta(days=3))
    inbox = reverse("appraisal:keberatan_inbox")
    atasan = as_user(org.atasan_penilai).get(inbox).content.decode()
    assert re.search(rf'data-section="to-decide".*data-keberatan="{keberatan.pk}".*3 hari sejak diajukan', atasan, re.S)
    penilai = as_user(org.penilai).get(inbox).content.decode()  # to explain, not to decide
    assert "Tidak ada keberatan yang menunggu keputusan Anda." in penilai
    assert re.search(rf'data-section="to-clarify".*data-keberatan="{keberatan.pk}"', penilai, re.S)
    assert f'data-keberatan="{keberatan.pk}"' in as_user(org.pegawai).get(inbox).content.decode()
    assert f'data-keberatan="{keberatan.pk}"' in as_user(org.hr_admin).get(inbox).content.decode()
    for someone in (org.colleague, org.other_penilai, outsider.hr_admin):
        assert f'data-keberatan="{keberatan.pk}"' not in as_user(someone).get(inbox).content.decode()


def test_the_hr_admin_filters_the_instansi_objections_by_status(as_user, org, keberatan):
    inbox = reverse("appraisal:keberatan_inbox")
    client = as_user(org.hr_admin)
    assert f'data-keberatan="{keberatan.pk}"' in client.get(inbox, {"status": "DIAJUKAN"}).content.decode()
    page = client.get(inbox, {"status": "DIUBAH"}).content.decode()
    assert f'data-keberatan="{keberatan.pk}"' not in page and "Tidak ada keberatan dengan status ini." in page


def test_a_decided_objection_leaves_the_atasan_to_decide_list(as_user, org, keberatan):
    ev.keberatan_decide(keberatan=keberatan, by=org.atasan_penilai.user, ubah=False, pertimbangan="Tetap")
    page = as_user(org.atasan_penilai).get(reverse("appraisal:keberatan_inbox")).content.decode()
    assert f'data-keberatan="{keberatan.pk}"' not in page
    assert "Tidak ada keberatan yang menunggu keputusan Anda." in page


def add_objections(org, year, chain, tw1, n):
    """``n`` more staff of the seksi with a final evaluation and an objection each."""
    staff = [pegawai_in_post(org.jabatan.staff) for _ in range(n)]
    refresh(org.instansi)
    for pegawai in staff:
        pegawai.refresh_from_db()
        evaluasi = final_evaluation(org, pegawai, year, chain, tw1)
        ev.keberatan_submit(evaluasi=evaluasi, alasan="Keberatan", by=pegawai.user)


@pytest.mark.parametrize("who", ["atasan_penilai", "hr_admin"])
def test_the_inbox_needs_the_same_queries_for_1_or_6_objections(as_user, org, year, chain, tw1, keberatan, who):
    client = as_user(getattr(org, who))
    inbox = reverse("appraisal:keberatan_inbox")
    # Queries: session, user, then either the three lists (to decide, to clarify, mine) with the menu's
    # is_supervisor and the user's Pegawai = 7, or the HR admin's instansi, count and page = 5 —
    # never one per objection.
    with CaptureQueriesContext(connection) as one:
        assert client.get(inbox).status_code == 200
    add_objections(org, year, chain, tw1, 5)
    with CaptureQueriesContext(connection) as six:
        page = client.get(inbox).content.decode()
    assert page.count("data-keberatan=") == 6
    assert len(six) == len(one) <= 7, [q["sql"] for q in six.captured_queries]
