"""The SKP screens as the employee, the pejabat penilai and the others who may see an SKP meet them."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Pegawai
from accounts.tests.factories import pegawai_in_post, refresh
from appraisal import services
from appraisal.models import IKI, RHK, SKP, CoreValue, LampiranSKP, SKPPerilaku
from appraisal.tests.factories import add_rhk, approved_chain, approved_skp, open_year

pytestmark = pytest.mark.django_db

IKI_DATA = {
    "aspek": "KUANTITAS",
    "uraian": "Jumlah berkas rujukan yang diverifikasi",
    "target_min": "12",
    "target_max": "",
    "satuan": "berkas",
    "arah": "NAIK",
}


def detail(skp):
    return reverse("appraisal:skp_detail", args=[skp.pk])


def url(name, skp, *args):
    return reverse(f"appraisal:{name}", args=[skp.pk, *args])


@pytest.fixture
def year(org):
    """The open year with approved SKPs down the chain kepala dinas → kabid → kasi (org.penilai)."""
    periode = open_year(org)
    return {"periode": periode, **approved_chain(org, periode)}


@pytest.fixture
def draft(org, year):
    """org.pegawai's draft SKP for the open year, still empty."""
    return services.skp_create(pegawai=org.pegawai, periode=year["periode"], by=org.pegawai.user)


def parent_rhk(year) -> RHK:
    """A RHK of the pejabat penilai's approved SKP: what a Utama RHK of org.pegawai intervenes."""
    return year["kasi"].rhk.order_by("pk").first()


# --- The whole planning workflow through the screens ---------------------------------------------


def test_an_skp_is_planned_returned_fixed_and_approved_then_locked(
    as_user, org, year, mailoutbox, django_capture_on_commit_callbacks
):
    Pegawai.objects.filter(pk=org.penilai.pk).update(email="kasi.rujukan@uji.go.id")
    Pegawai.objects.filter(pk=org.pegawai.pk).update(email="staf.rujukan@uji.go.id")
    parent = parent_rhk(year)
    client = as_user(org.pegawai)

    # The employee starts the SKP of the open year …
    response = client.post(reverse("appraisal:skp_start"))
    skp = SKP.objects.get(pegawai=org.pegawai)
    assert response["Location"] == detail(skp)
    # … adds a Utama RHK intervening the supervisor's approved RHK, with one IKI …
    client.post(url("rhk_add", skp, "utama"), {"uraian": "Berkas rujukan terverifikasi", "rhk_atasan": parent.pk})
    rhk = RHK.objects.get(skp=skp)
    assert (rhk.jenis, rhk.rhk_atasan) == ("UTAMA", parent)
    client.post(url("iki_add", skp, rhk.pk), IKI_DATA)
    assert rhk.iki.get().target_min == Decimal("12")
    # … and submits: the pejabat penilai is told by e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("skp_submit", skp))
    skp.refresh_from_db()
    assert skp.status == "DIAJUKAN"
    assert [m.to for m in mailoutbox] == [["kasi.rujukan@uji.go.id"]]

    # The supervisor returns it with a comment; the employee is told and sees it on the SKP.
    as_user(org.penilai)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("skp_return", skp), {"catatan": "Target terlalu rendah, naikkan menjadi 24 berkas."})
    skp.refresh_from_db()
    assert skp.status == "REVISI"
    assert mailoutbox[1].to == ["staf.rujukan@uji.go.id"]
    assert "naikkan menjadi 24 berkas" in mailoutbox[1].body
    as_user(org.pegawai)
    page = client.get(detail(skp)).content.decode()
    assert "data-return-note" in page and "naikkan menjadi 24 berkas" in page

    # The employee raises the target and submits again.
    client.post(url("iki_edit", skp, rhk.iki.get().pk), {**IKI_DATA, "target_min": "24"})
    assert rhk.iki.get().target_min == Decimal("24")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("skp_submit", skp))
    skp.refresh_from_db()
    assert skp.status == "DIAJUKAN"
    assert mailoutbox[2].to == ["kasi.rujukan@uji.go.id"]

    # The supervisor writes an ekspektasi khusus and approves; the employee is told.
    as_user(org.penilai)
    pelayanan = CoreValue.objects.get(kode="berorientasi-pelayanan")
    client.post(url("ekspektasi_set", skp), {f"cv_{pelayanan.pk}": "Menanggapi keluhan rujukan dalam 1 hari"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("skp_approve", skp))
    assert response["Location"] == detail(skp)
    skp.refresh_from_db()
    assert skp.status == "DISETUJUI"
    assert SKPPerilaku.objects.get(skp=skp, core_value=pelayanan).ekspektasi_khusus.startswith("Menanggapi keluhan")
    assert mailoutbox[3].to == ["staf.rujukan@uji.go.id"]
    assert "disetujui" in mailoutbox[3].subject

    # The approved SKP is locked: an edit is refused and nothing changes.
    as_user(org.pegawai)
    response = client.post(url("rhk_edit", skp, rhk.pk), {"uraian": "Diubah diam-diam", "rhk_atasan": parent.pk})
    assert "tidak dapat diubah" in response.content.decode()
    rhk.refresh_from_db()
    assert rhk.uraian == "Berkas rujukan terverifikasi"


def test_the_workflow_history_shows_who_moved_the_skp_and_why(as_user, org, year, draft):
    add_rhk(draft, "Berkas rujukan terverifikasi", parent=parent_rhk(year))
    services.skp_submit(skp=draft, by=org.pegawai.user)
    services.skp_return(skp=draft, by=org.penilai.user, catatan="Lengkapi lampiran konsekuensi.")
    page = as_user(org.atasan_penilai).get(detail(draft)).content.decode()
    history = page[page.index('id="riwayat"') :]
    rows = history.split("<tr")[2:]  # after the header row, oldest first
    assert org.pegawai.nama_lengkap in rows[0] and "Diajukan" in rows[0]
    assert org.penilai.nama_lengkap in rows[1] and "Lengkapi lampiran konsekuensi." in rows[1]


# --- Who may see and do what -------------------------------------------------------------------------


def test_a_colleague_gets_404_on_someone_elses_skp(as_user, org, draft):
    assert as_user(org.colleague).get(detail(draft)).status_code == 404


def test_the_hr_admin_of_another_instansi_gets_404(as_user, org, outsider, draft):
    client = as_user(outsider.hr_admin)
    assert client.get(detail(draft)).status_code == 404
    assert client.post(url("skp_approve", draft)).status_code == 404


@pytest.mark.parametrize("persona", ["hr_admin", "atasan_penilai"])
def test_the_hr_admin_and_the_atasan_penilai_see_the_skp_read_only(as_user, org, draft, persona):
    add_rhk(draft, "Berkas rujukan terverifikasi")
    response = as_user(getattr(org, persona)).get(detail(draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas rujukan terverifikasi" in page
    assert url("rhk_add", draft, "utama") not in page
    assert url("skp_submit", draft) not in page
    assert url("skp_approve", draft) not in page


def test_the_employee_gets_403_on_approve_and_return(as_user, org, year, draft):
    add_rhk(draft, "Berkas rujukan terverifikasi", parent=parent_rhk(year))
    services.skp_submit(skp=draft, by=org.pegawai.user)
    client = as_user(org.pegawai)
    assert client.get(url("skp_approve", draft)).status_code == 403
    assert client.get(url("skp_return", draft)).status_code == 403
    assert client.post(url("skp_approve", draft)).status_code == 403
    assert client.post(url("skp_return", draft), {"catatan": "Saya kembalikan sendiri"}).status_code == 403
    assert client.post(url("ekspektasi_set", draft), {}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "DIAJUKAN"


def test_the_supervisor_gets_403_editing_the_employees_rhk(as_user, org, draft):
    rhk = add_rhk(draft, "Berkas rujukan terverifikasi")
    client = as_user(org.penilai)
    assert client.get(url("rhk_edit", draft, rhk.pk)).status_code == 403
    assert client.get(url("iki_add", draft, rhk.pk)).status_code == 403
    assert client.post(url("rhk_edit", draft, rhk.pk), {"uraian": "Ditulis atasan"}).status_code == 403
    assert client.post(url("rhk_add", draft, "tambahan"), {"uraian": "Ditulis atasan"}).status_code == 403
    assert client.post(url("rhk_delete", draft, rhk.pk)).status_code == 403
    assert client.post(url("skp_submit", draft)).status_code == 403
    rhk.refresh_from_db()
    assert rhk.uraian == "Berkas rujukan terverifikasi"


def test_a_rhk_of_another_skp_is_404_under_this_one(as_user, org, year, draft):
    foreign = parent_rhk(year)  # exists, but belongs to the supervisor's SKP
    client = as_user(org.pegawai)
    assert client.post(url("rhk_edit", draft, foreign.pk), {"uraian": "Salah alamat"}).status_code == 404
    assert client.post(url("rhk_delete", draft, foreign.pk)).status_code == 404
    assert RHK.objects.filter(pk=foreign.pk).exists()


def test_an_employee_without_a_rhk_utama_is_told_what_is_missing_on_submit(as_user, org, draft):
    add_rhk(draft, "Membantu kegiatan bakti sosial", jenis="TAMBAHAN")
    response = as_user(org.pegawai).post(url("skp_submit", draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-submit-errors" in page
    assert "paling sedikit satu RHK Utama" in page
    draft.refresh_from_db()
    assert draft.status == "DRAFT"


def test_a_utama_rhk_that_intervenes_nothing_is_listed_before_submitting(as_user, org, year, draft):
    add_rhk(draft, "Berkas rujukan terverifikasi")
    page = as_user(org.pegawai).get(detail(draft)).content.decode()
    assert "belum mengintervensi RHK pimpinan" in page


# --- Bad input keeps what was typed -------------------------------------------------------------------


@pytest.fixture
def rhk(draft, year):
    return add_rhk(draft, "Berkas rujukan terverifikasi", parent=parent_rhk(year))


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"target_min": "30", "target_max": "20"}, "target_max", "Batas bawah target tidak boleh lebih besar dari batas atas."),
        ({"target_min": "dua belas"}, "target_min", "SKP kuantitatif memerlukan target berupa angka."),
        ({"target_min": "-3"}, "target_min", "Target tidak boleh negatif."),
        ({"target_min": ""}, "target_min", "SKP kuantitatif memerlukan target berupa angka."),
        ({"uraian": ""}, "uraian", ""),
    ],
)  # fmt: skip
def test_a_bad_iki_comes_back_with_the_rule_and_what_was_typed(as_user, org, draft, rhk, changes, field, message):
    data = {**IKI_DATA, "satuan": "berkas lengkap", **changes}
    response = as_user(org.pegawai).post(url("iki_add", draft, rhk.pk), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="berkas lengkap"' in page  # nothing typed is lost
    for name, value in changes.items():
        if name.startswith("target_") and value:
            assert f'value="{value}"' in page
    assert rhk.iki.count() == 1  # only the one add_rhk made


def test_a_target_may_be_typed_with_a_decimal_comma_and_as_a_range(as_user, org, draft, rhk):
    as_user(org.pegawai).post(url("iki_add", draft, rhk.pk), {**IKI_DATA, "target_min": "97,5", "target_max": "100"})
    iki = rhk.iki.get(uraian=IKI_DATA["uraian"])
    assert (iki.target_min, iki.target_max) == (Decimal("97.5"), Decimal("100"))


def test_a_kualitatif_skp_needs_a_described_target(as_user, org, draft, rhk):
    client = as_user(org.pegawai)
    client.post(url("pendekatan_set", draft), {"pendekatan": "KUALITATIF"})
    draft.refresh_from_db()
    assert draft.pendekatan == "KUALITATIF"
    data = {"aspek": "KUALITAS", "uraian": "Kelengkapan berkas rujukan", "target_text": ""}
    response = client.post(url("iki_add", draft, rhk.pk), data)
    assert "SKP kualitatif memerlukan uraian target." in " ".join(response.context["form"].errors["target_text"])
    assert "Kelengkapan berkas rujukan" in response.content.decode()
    client.post(url("iki_add", draft, rhk.pk), {**data, "target_text": "Seluruh berkas lengkap tanpa koreksi"})
    assert rhk.iki.get(uraian="Kelengkapan berkas rujukan").target_display == "Seluruh berkas lengkap tanpa koreksi"


def test_intervening_a_rhk_that_is_not_the_supervisors_is_refused_and_the_text_kept(as_user, org, year, draft):
    other = approved_skp(org.other_penilai, year["periode"], rhk=("Obat tersedia sesuai kebutuhan",))
    tampered = other.rhk.get()
    response = as_user(org.pegawai).post(
        url("rhk_add", draft, "utama"), {"uraian": "Berkas rujukan terverifikasi", "rhk_atasan": tampered.pk}
    )
    assert response.status_code == 200
    assert "harus berasal dari SKP pejabat penilai yang sudah disetujui" in " ".join(
        response.context["form"].errors["rhk_atasan"]
    )
    assert "Berkas rujukan terverifikasi" in response.content.decode()
    assert not RHK.objects.filter(skp=draft).exists()


def test_a_rhk_without_text_is_refused_and_nothing_is_saved(as_user, org, year, draft):
    response = as_user(org.pegawai).post(
        url("rhk_add", draft, "utama"), {"uraian": "", "rhk_atasan": parent_rhk(year).pk}
    )
    assert "uraian" in response.context["form"].errors
    assert not RHK.objects.filter(skp=draft).exists()


def test_the_rhk_form_offers_the_supervisors_approved_rhk(as_user, org, year, draft):
    page = as_user(org.pegawai).get(url("rhk_add", draft, "utama")).content.decode()
    for rhk in year["kasi"].rhk.all():
        assert f'value="{rhk.pk}"' in page
    assert f'value="{year["kabid"].rhk.get().pk}"' not in page


def test_a_tambahan_rhk_has_no_parent_even_when_one_is_posted(as_user, org, year, draft):
    as_user(org.pegawai).post(
        url("rhk_add", draft, "tambahan"), {"uraian": "Panitia bakti sosial", "rhk_atasan": parent_rhk(year).pk}
    )
    rhk = RHK.objects.get(skp=draft)
    assert (rhk.jenis, rhk.rhk_atasan) == ("TAMBAHAN", None)


def test_a_jpt_rhk_asks_for_its_perspektif(as_user, org, year):
    kadis = year["kadis"]
    kadis.status = "DRAFT"
    kadis.save(update_fields=["status"])
    client = as_user(org.kepala_unit)
    response = client.post(url("rhk_add", kadis, "utama"), {"uraian": "Indeks kepuasan layanan meningkat"})
    assert "perspektif" in response.context["form"].errors
    client.post(url("rhk_add", kadis, "utama"), {"uraian": "Indeks kepuasan", "perspektif": "PENERIMA_LAYANAN"})
    assert RHK.objects.get(skp=kadis, uraian="Indeks kepuasan").perspektif == "PENERIMA_LAYANAN"
    assert "PERSPEKTIF" in client.get(detail(kadis)).content.decode()


# --- htmx and the plain fallback -----------------------------------------------------------------------


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_htmx_add_answers_with_the_rhk_block_and_a_plain_post_redirects(as_user, org, year, draft):
    client = as_user(org.pegawai)
    data = {"uraian": "Berkas rujukan terverifikasi", "rhk_atasan": parent_rhk(year).pk}
    response = client.post(url("rhk_add", draft, "utama"), data, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'id="hasil-kerja"' in page and "Berkas rujukan terverifikasi" in page
    assert response["HX-Retarget"] == "#hasil-kerja"
    response = client.post(url("rhk_add", draft, "utama"), {**data, "uraian": "Data rujukan lengkap"})
    assert response.status_code == 302
    assert response["Location"].startswith(detail(draft))


def test_an_htmx_form_with_errors_comes_back_alone_with_its_values(as_user, org, draft, rhk):
    response = as_user(org.pegawai).post(
        url("iki_add", draft, rhk.pk), {**IKI_DATA, "target_min": "30", "target_max": "20"}, **HTMX
    )
    page = response.content.decode()
    assert "<html" not in page
    assert 'data-form="iki"' in page and 'hx-post="' in page
    assert "Batas bawah target tidak boleh lebih besar dari batas atas." in page
    assert 'value="30"' in page and 'value="20"' in page
    assert "HX-Retarget" not in response


def test_the_add_form_opens_in_place_with_htmx_and_as_a_page_without(as_user, org, draft):
    client = as_user(org.pegawai)
    partial = client.get(url("rhk_add", draft, "tambahan"), **HTMX).content.decode()
    page = client.get(url("rhk_add", draft, "tambahan")).content.decode()
    assert "<html" not in partial and "hx-post=" in _form_tag(partial, "rhk")
    assert "<html" in page and "hx-post=" not in _form_tag(page, "rhk")


def _form_tag(html: str, name: str) -> str:
    return re.search(rf'<form[^>]*data-form="{name}"[^>]*>', html).group(0)


def test_deleting_a_rhk_asks_first_without_javascript(as_user, org, draft, rhk):
    client = as_user(org.pegawai)
    confirm = client.get(url("rhk_delete", draft, rhk.pk))
    assert confirm.status_code == 200
    assert "beserta semua IKI-nya" in confirm.content.decode()
    assert RHK.objects.filter(pk=rhk.pk).exists()
    assert client.post(url("rhk_delete", draft, rhk.pk)).status_code == 302
    assert not RHK.objects.filter(pk=rhk.pk).exists()


def test_the_editor_delete_links_ask_for_confirmation(as_user, org, draft, rhk):
    page = as_user(org.pegawai).get(detail(draft)).content.decode()
    assert f'hx-post="{url("rhk_delete", draft, rhk.pk)}" hx-confirm=' in page
    assert f'hx-post="{url("iki_delete", draft, rhk.iki.get().pk)}" hx-confirm=' in page


def test_an_iki_is_removed_with_htmx(as_user, org, draft, rhk):
    response = as_user(org.pegawai).post(url("iki_delete", draft, rhk.iki.get().pk), **HTMX)
    assert "Belum ada indikator kinerja (IKI)." in response.content.decode()
    assert not rhk.iki.exists()


def test_lampiran_items_are_added_and_removed(as_user, org, draft):
    client = as_user(org.pegawai)
    response = client.post(url("lampiran_add", draft), {"jenis": "KONSEKUENSI", "uraian": "Teguran lisan"}, **HTMX)
    assert 'id="lampiran"' in response.content.decode() and "Teguran lisan" in response.content.decode()
    item = LampiranSKP.objects.get(skp=draft)
    assert item.jenis == "KONSEKUENSI"
    response = client.post(url("lampiran_add", draft), {"jenis": "KONSEKUENSI", "uraian": ""})
    assert response.status_code == 200 and "<html" in response.content.decode()
    client.post(url("lampiran_delete", draft, item.pk))
    assert not LampiranSKP.objects.filter(skp=draft).exists()


# --- Decisions and revisions ------------------------------------------------------------------------


def test_returning_without_a_comment_is_refused(as_user, org, year, draft):
    add_rhk(draft, "Berkas rujukan terverifikasi", parent=parent_rhk(year))
    services.skp_submit(skp=draft, by=org.pegawai.user)
    response = as_user(org.penilai).post(url("skp_return", draft), {"catatan": "  "})
    assert "Tuliskan catatan" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "DIAJUKAN"


def test_the_supervisor_sees_the_decision_buttons_only_while_submitted(as_user, org, year, draft):
    client = as_user(org.penilai)
    assert url("skp_approve", draft) not in client.get(detail(draft)).content.decode()
    add_rhk(draft, "Berkas rujukan terverifikasi", parent=parent_rhk(year))
    services.skp_submit(skp=draft, by=org.pegawai.user)
    page = client.get(detail(draft)).content.decode()
    assert url("skp_approve", draft) in page and url("skp_return", draft) in page


def test_an_approved_skp_is_revised_with_a_reason_and_the_old_one_stays_viewable(as_user, org, year):
    skp = approved_skp(org.pegawai, year["periode"], parent=parent_rhk(year))
    client = as_user(org.pegawai)
    response = client.post(url("skp_revise", skp), {"alasan": ""})
    assert "Tuliskan alasan perubahan SKP." in response.content.decode()
    response = client.post(url("skp_revise", skp), {"alasan": "RHK pimpinan berubah pada triwulan II."})
    new = SKP.objects.get(revisi_dari=skp)
    assert response["Location"] == detail(new)
    assert new.status == "DRAFT" and new.rhk.count() == 1
    mine = client.get(reverse("appraisal:my_skp")).content.decode()
    assert detail(skp) in mine and detail(new) in mine
    assert "revisi terdahulu" in mine
    assert "Ini revisi terdahulu" in client.get(detail(skp)).content.decode()


def test_a_colleague_cannot_open_a_revision(as_user, org, year):
    skp = approved_skp(org.pegawai, year["periode"])
    assert as_user(org.atasan_penilai).post(url("skp_revise", skp), {"alasan": "Saya mau"}).status_code == 403


# --- SKP saya --------------------------------------------------------------------------------------------


def test_before_hr_opens_a_year_the_employee_is_told_so(as_user, org):
    response = as_user(org.pegawai).get(reverse("appraisal:my_skp"))
    assert "Periode SKP belum dibuka" in response.content.decode()
    assert reverse("appraisal:skp_start") not in response.content.decode()


def test_the_employee_starts_the_skp_of_the_latest_year_once(as_user, org):
    open_year(org, 2025)
    latest = open_year(org, 2026)
    client = as_user(org.pegawai)
    assert reverse("appraisal:skp_start") in client.get(reverse("appraisal:my_skp")).content.decode()
    client.post(reverse("appraisal:skp_start"))
    assert SKP.objects.get(pegawai=org.pegawai).periode == latest
    assert reverse("appraisal:skp_start") not in client.get(reverse("appraisal:my_skp")).content.decode()
    client.post(reverse("appraisal:skp_start"))
    assert SKP.objects.filter(pegawai=org.pegawai).count() == 1


def test_an_hr_admin_without_an_employee_record_has_no_skp_page(as_user, org):
    assert as_user(org.hr_admin).get(reverse("appraisal:my_skp")).status_code == 403


# --- Inbox --------------------------------------------------------------------------------------------


def test_the_inbox_lists_what_awaits_me_and_counts_my_team(as_user, org, year, draft):
    add_rhk(draft, "Berkas rujukan terverifikasi", parent=parent_rhk(year))
    services.skp_submit(skp=draft, by=org.pegawai.user)
    response = as_user(org.penilai).get(reverse("appraisal:inbox"))
    page = response.content.decode()
    assert [s.pk for s in response.context["awaiting"]] == [draft.pk]
    assert detail(draft) in page
    counts = {c["status"]: c["n"] for c in response.context["counts"]}
    assert counts == {"DRAFT": 0, "DIAJUKAN": 1, "REVISI": 0, "DISETUJUI": 0}
    assert response.context["belum"] == 1  # org.colleague has not started


def test_another_supervisors_inbox_does_not_show_my_team(as_user, org, year, draft):
    add_rhk(draft, "Berkas rujukan terverifikasi", parent=parent_rhk(year))
    services.skp_submit(skp=draft, by=org.pegawai.user)
    response = as_user(org.other_penilai).get(reverse("appraisal:inbox"))
    assert response.context["awaiting"] == []
    assert detail(draft) not in response.content.decode()


# --- Matriks peran hasil -------------------------------------------------------------------------------


def test_distributing_a_rhk_drafts_it_for_subordinates_and_skips_a_locked_skp(as_user, org, year):
    source = parent_rhk(year)
    locked = approved_skp(org.colleague, year["periode"], rhk=("Arsip rujukan tertata",))
    client = as_user(org.penilai)
    assert url("distribute", year["kasi"]) in client.get(detail(year["kasi"])).content.decode()
    response = client.post(
        url("distribute", year["kasi"]), {"rhk": source.pk, "bawahan": [org.pegawai.pk, org.colleague.pk]}, follow=True
    )
    created = RHK.objects.get(skp__pegawai=org.pegawai, rhk_atasan=source)
    assert (created.jenis, created.skp.status) == ("UTAMA", "DRAFT")
    assert not RHK.objects.filter(skp=locked, rhk_atasan=source).exists()
    shown = [str(m) for m in response.context["messages"]]
    assert any(org.pegawai.nama_lengkap in m and "ditambahkan" in m for m in shown)
    assert any(org.colleague.nama_lengkap in m and "sudah diajukan atau disetujui" in m for m in shown)


def test_only_direct_subordinates_can_be_chosen(as_user, org, year):
    response = as_user(org.penilai).post(
        url("distribute", year["kasi"]), {"rhk": parent_rhk(year).pk, "bawahan": [org.other_staff.pk]}
    )
    assert "bawahan" in response.context["form"].errors
    assert not RHK.objects.filter(skp__pegawai=org.other_staff).exists()


def test_a_draft_skp_cannot_be_distributed_and_only_its_owner_may_try(as_user, org, year, draft):
    assert as_user(org.penilai).get(url("distribute", draft)).status_code == 403
    page = as_user(org.pegawai).get(url("distribute", draft)).content.decode()
    assert "hanya dapat dibagikan dari SKP yang sudah disetujui" in page


# --- Query budgets -------------------------------------------------------------------------------------


def _grow(skp, n: int) -> None:
    for i in range(n):
        rhk = add_rhk(skp, f"RHK ke-{i}", parent=None)
        IKI.objects.create(rhk=rhk, aspek="WAKTU", uraian="Tepat waktu", target_min=Decimal("12"), satuan="bulan")
        LampiranSKP.objects.create(skp=skp, jenis="KONSEKUENSI", uraian=f"Konsekuensi {i}")


@pytest.mark.parametrize("n", [1, 15])
def test_the_skp_editor_needs_the_same_queries_for_1_or_15_rhk(
    as_user, org, year, draft, n, django_assert_max_num_queries
):
    _grow(draft, n)
    RHK.objects.filter(skp=draft).update(rhk_atasan=parent_rhk(year))
    services.skp_submit(skp=draft, by=org.pegawai.user)
    services.skp_return(skp=draft, by=org.penilai.user, catatan="Perbaiki.")
    client = as_user(org.pegawai)
    # session, user, get_skp_for; selector: the SKP with its year, post and people, catatan with
    # who, perilaku with core values, panduan, lampiran, RHK with the intervened RHK, IKI;
    # the supervisor's approved SKP and its RHK (the choices and the checklist);
    # base.html: roles.is_supervisor, user.pegawai = 14.
    with django_assert_max_num_queries(14):
        response = client.get(detail(draft))
    assert response.status_code == 200
    assert len(response.context["utama"]) == n


@pytest.mark.parametrize("n", [1, 15])
def test_the_skp_page_for_the_supervisor_needs_the_same_queries(
    as_user, org, year, draft, n, django_assert_max_num_queries
):
    _grow(draft, n)
    client = as_user(org.penilai)
    # As the editor above, without the two queries for the intervention choices = 12.
    with django_assert_max_num_queries(12):
        client.get(detail(draft))


@pytest.mark.parametrize("n", [1, 12])
def test_the_inbox_needs_the_same_queries_for_1_or_12_subordinates(
    as_user, org, year, n, django_assert_max_num_queries
):
    supervisor = org.other_penilai  # starts with one subordinate, org.other_staff
    for _ in range(n - 1):
        pegawai_in_post(org.jabatan.staff2)
    refresh(org.instansi)
    team = list(Pegawai.objects.filter(pejabat_penilai=supervisor))
    assert len(team) == n
    parent = approved_skp(supervisor, year["periode"], parent=year["kabid"].rhk.get()).rhk.get()
    submitted = (n + 1) // 2
    for member in team[:submitted]:
        skp = services.skp_create(pegawai=member, periode=year["periode"], by=member.user)
        add_rhk(skp, "Obat tersedia sesuai kebutuhan", parent=parent)
        services.skp_submit(skp=skp, by=member.user)
    client = as_user(supervisor)
    # session, user, get_pegawai_for (me), roles.is_supervisor and user.pegawai (nav);
    # selector: the open year, the awaiting SKPs, the subordinates, their SKPs of the year = 9.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("appraisal:inbox"))
    assert len(response.context["awaiting"]) == submitted
    assert response.context["belum"] == n - submitted


@pytest.mark.parametrize("years", [1, 4])
def test_my_skp_needs_the_same_queries_for_1_or_4_years_with_revisions(
    as_user, org, years, django_assert_max_num_queries
):
    for tahun in range(2026 - years + 1, 2027):
        skp = approved_skp(org.pegawai, open_year(org, tahun))
        services.skp_start_revision(skp=skp, by=org.pegawai.user, alasan="Prioritas berubah")
    client = as_user(org.pegawai)
    # session, user, get_pegawai_for (me); the SKPs with year, post and penilai; the open
    # year; base.html: roles.is_supervisor, user.pegawai = 7.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("appraisal:my_skp"))
    assert sum(len(y.skps) for y in response.context["years"]) == 2 * years


@pytest.mark.parametrize("n", [1, 12])
def test_the_distribution_page_needs_the_same_queries_for_1_or_12_subordinates(
    as_user, org, year, n, django_assert_max_num_queries
):
    supervisor = org.other_penilai  # starts with one subordinate, org.other_staff
    for _ in range(n - 1):
        pegawai_in_post(org.jabatan.staff2)
    refresh(org.instansi)
    skp = approved_skp(supervisor, year["periode"], parent=year["kabid"].rhk.get())
    for member in Pegawai.objects.filter(pejabat_penilai=supervisor)[: n // 2]:
        services.skp_create(pegawai=member, periode=year["periode"], by=member.user)
    client = as_user(supervisor)
    # session, user, get_skp_for; subordinates with their post, their SKPs of the year, my RHK;
    # base.html: roles.is_supervisor, user.pegawai = 8.
    with django_assert_max_num_queries(8):
        response = client.get(url("distribute", skp))
    assert len(response.context["subordinates"]) == n


# --- Permission matrix: every SKP URL × persona ----------------------------------------------------

PERSONAS = ("pegawai", "penilai", "atasan_penilai", "colleague", "hr_admin", "outsider", "anonymous")
OWNER_ONLY = dict(zip(PERSONAS, (200, 403, 403, 404, 403, 404, 302), strict=True))
PENILAI_ONLY = dict(zip(PERSONAS, (403, 200, 403, 404, 403, 404, 302), strict=True))
# What each persona gets on org.pegawai's draft SKP (a GET, or a POST for POST-only URLs; the
# permitted persona's POST is an empty form, so nothing is written).
MATRIX = {
    "my_skp": ("get", dict(zip(PERSONAS, (200, 200, 200, 200, 403, 403, 302), strict=True))),
    "skp_start": ("get", dict(zip(PERSONAS, (405, 405, 405, 405, 405, 405, 302), strict=True))),
    "inbox": ("get", dict(zip(PERSONAS, (200, 200, 200, 200, 403, 403, 302), strict=True))),
    "skp_detail": ("get", dict(zip(PERSONAS, (200, 200, 200, 404, 200, 404, 302), strict=True))),
    "rhk_add": ("get", OWNER_ONLY),
    "rhk_edit": ("get", OWNER_ONLY),
    "rhk_delete": ("get", OWNER_ONLY),
    "iki_add": ("get", OWNER_ONLY),
    "iki_edit": ("get", OWNER_ONLY),
    "iki_delete": ("get", OWNER_ONLY),
    "pendekatan_set": ("post", {**OWNER_ONLY, "pegawai": 302}),
    "lampiran_add": ("post", OWNER_ONLY),
    "lampiran_delete": ("get", OWNER_ONLY),
    "skp_submit": ("get", OWNER_ONLY),
    "ekspektasi_set": ("post", {**PENILAI_ONLY, "penilai": 302}),
    "skp_return": ("get", PENILAI_ONLY),
    "skp_approve": ("get", PENILAI_ONLY),
    "skp_revise": ("get", {**OWNER_ONLY, "penilai": 200}),
    "distribute": ("get", OWNER_ONLY),
}


def _matrix_url(name: str, skp: SKP) -> str:
    rhk = skp.rhk.get()
    args = {
        "my_skp": [],
        "skp_start": [],
        "inbox": [],
        "rhk_add": [skp.pk, "utama"],
        "rhk_edit": [skp.pk, rhk.pk],
        "rhk_delete": [skp.pk, rhk.pk],
        "iki_add": [skp.pk, rhk.pk],
        "iki_edit": [skp.pk, rhk.iki.get().pk],
        "iki_delete": [skp.pk, rhk.iki.get().pk],
        "lampiran_delete": [skp.pk, skp.lampiran.get().pk],
    }.get(name, [skp.pk])
    return reverse(f"appraisal:{name}", args=args)


def test_every_skp_url_is_in_the_permission_matrix():
    from appraisal.urls.skp import urlpatterns

    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, org, outsider, draft, name):
    add_rhk(draft, "Berkas rujukan terverifikasi")
    LampiranSKP.objects.create(skp=draft, jenis="KONSEKUENSI", uraian="Teguran lisan")
    method, expected = MATRIX[name]
    target = _matrix_url(name, draft)
    got = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            who = outsider.hr_admin if persona == "outsider" else getattr(org, persona)
            client.force_login(getattr(who, "user", who))
        got[persona] = getattr(client, method)(target).status_code
    assert got == expected
    assert RHK.objects.get(skp=draft).uraian == "Berkas rujukan terverifikasi"
