"""Issue 3 end to end in Chromium: a pegawai plans an SKP that intervenes the supervisor's RHK,
the supervisor returns it with a comment, the pegawai revises and resubmits, the supervisor
approves, and the printed SKP names both people.

Only the arrangement (the demo organisation, the open year, the approved SKP above the pegawai)
uses the ORM and the services; everything after it goes through the browser. One step (the
pegawai starting the SKP and adding the RHK) runs on a phone-sized page."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.demo import DEMO_PASSWORD, demo_logins
from accounts.models import Pegawai, User
from accounts.rules import format_nip
from accounts.services import user_create_for_pegawai
from appraisal import services
from appraisal.models import IKI, RHK, SKP, Aspek, JenisRHK, PeriodeSKP, Perspektif, StatusSKP

from .conftest import ARTIFACTS, login, screenshot

pytestmark = pytest.mark.browser

RHK_PIMPINAN = (
    "Meningkatnya cakupan layanan kesehatan keluarga dan gizi",
    "Tersusunnya laporan kinerja seksi yang akurat dan tepat waktu",
)
RHK_PEGAWAI = "Tersedianya data status gizi balita yang lengkap dan mutakhir"
IKI_KUANTITAS = "Jumlah laporan data gizi balita yang disusun"
IKI_KUALITAS = "Persentase laporan yang diterima tanpa revisi"
CATATAN = "Tambahkan target kualitas."
RANGE_ERROR = "Batas bawah target tidak boleh lebih besar dari batas atas."
# Crispy marks a required field "Target*"; the regex keeps "Target (uraian)" out. Playwright
# matches a regex against the label's raw text, whitespace included.
TARGET_LABEL = re.compile(r"^\s*Target\*?\s*$")
# The owner's editing controls (links), present while DRAFT/REVISI and gone once approved.
EDITOR_LINKS = ("Tambah RHK Utama", "Tambah RHK Tambahan", "Ajukan", "IKI", "Ubah", "Hapus")


# --- Arrangement (ORM and services only) ---------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    pegawai: Pegawai
    supervisor: Pegawai
    pegawai_login: str
    supervisor_login: str
    tahun: int
    rhk_pimpinan: str  # the supervisor's RHK the pegawai intervenes
    waiting: int  # SKPs awaiting the supervisor once the pegawai has submitted


def _user_for(pegawai: Pegawai) -> User:
    """The login of ``pegawai``; the demo gives logins to a few people only."""
    return User.objects.filter(pegawai=pegawai).first() or user_create_for_pegawai(
        pegawai=pegawai, password=DEMO_PASSWORD
    )


def _approved_skp(pegawai: Pegawai, periode: PeriodeSKP, texts: tuple[str, ...] = ()) -> SKP:
    """An approved SKP of ``pegawai``, planned, submitted and approved through the services.

    A Utama RHK must intervene an RHK of the pejabat penilai's approved SKP before it can be
    submitted (rules.submission_problems), so the chain above is approved first, up to the top
    of the instansi, whose SKP is approved on submission. An SKP the demo already approved is kept."""
    found = SKP.objects.filter(pegawai=pegawai, periode=periode, is_current=True, status=StatusSKP.DISETUJUI)
    if found.exists():
        return found.get()
    parents = []
    if pegawai.pejabat_penilai_id:
        parents = list(RHK.objects.filter(skp=_approved_skp(pegawai.pejabat_penilai, periode)).order_by("urutan"))
    user = _user_for(pegawai)
    skp = services.skp_create(pegawai=pegawai, periode=periode, by=user)
    for uraian in texts or (f"Terwujudnya sasaran {pegawai.jabatan.nama}",):
        rhk = RHK(skp=skp, jenis=JenisRHK.UTAMA, uraian=uraian, perspektif=Perspektif.PENERIMA_LAYANAN)
        rhk.rhk_atasan = parents[0] if parents else None
        rhk = services.rhk_save(rhk=rhk, by=user)
        iki = IKI(rhk=rhk, uraian=f"Jumlah dokumen: {uraian}", target_min=Decimal(4), satuan="dokumen")
        iki.aspek = "" if skp.is_jpt else Aspek.KUANTITAS
        services.iki_save(iki=iki, by=user)
    skp = services.skp_submit(skp=skp, by=user)
    if skp.status != StatusSKP.DISETUJUI:
        skp = services.skp_approve(skp=skp, by=_user_for(skp.pejabat_penilai))
    return skp


def arrange() -> Cast:
    call_command("seed_demo", "--employees", "80")
    logins = {entry.role: entry for entry in reversed(demo_logins())}  # the first instansi's
    hr = User.objects.get(username=logins["hr"].username)
    supervisor = User.objects.get(username=logins["supervisor"].username).pegawai
    pegawai = User.objects.get(username=logins["pegawai"].username).pegawai
    assert pegawai.pejabat_penilai_id == supervisor.pk, "the demo pegawai must report to the demo supervisor"
    tahun = timezone.localdate().year
    # seed_demo may open the year itself (appraisal/demo.py); HR opens it otherwise.
    periode = PeriodeSKP.objects.filter(instansi=hr.instansi, tahun=tahun).first() or services.periode_open(
        instansi=hr.instansi, tahun=tahun, ritme="TRIWULANAN", by=hr
    )
    skp = _approved_skp(supervisor, periode, RHK_PIMPINAN)
    choices = list(RHK.objects.filter(skp=skp).order_by("jenis", "urutan", "pk").values_list("uraian", flat=True))
    assert len(choices) >= 2
    waiting = SKP.objects.filter(pejabat_penilai=supervisor, status=StatusSKP.DIAJUKAN, is_current=True).count()
    return Cast(
        pegawai=pegawai,
        supervisor=supervisor,
        pegawai_login=logins["pegawai"].username,
        supervisor_login=logins["supervisor"].username,
        tahun=tahun,
        rhk_pimpinan=choices[1],  # not the first option, so the choice is really made
        waiting=waiting + 1,
    )


# --- Browser helpers -------------------------------------------------------------------------------


def named(text: str) -> re.Pattern:
    """An accessible name that is ``text``, optionally followed by what it acts on for screen
    readers ("Ubah RHK", "Hapus IKI")."""
    return re.compile(rf"^\W*{re.escape(text)}(\s+(RHK|IKI))?\s*$")


def log_out(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle:has(.bi-person-circle)").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/masuk/$"))


def status_of(page: Page):
    """The status badge beside the SKP page's title."""
    return page.locator("main h1 + div [data-status]")


def actions(page: Page):
    """The SKP page's action buttons (Ajukan, Setujui, Kembalikan, …) beside its title."""
    return page.locator("[data-actions]")


def confirm_in_modal(page: Page, title: str, button: str) -> None:
    dialog = page.get_by_role("dialog", name=title)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=button).click()


def rhk_row(page: Page):
    return page.locator("#hasil-kerja tr", has_text=RHK_PEGAWAI)


def add_iki(page: Page, *, aspek: str, uraian: str, target: str, satuan: str, batas_atas: str = "") -> None:
    rhk_row(page).get_by_role("link", name=named("IKI")).click()
    form = page.locator('form[data-form="iki"]')
    expect(form).to_be_visible()
    form.get_by_label("Aspek").select_option(label=aspek)
    form.get_by_label("Indikator kinerja individu (IKI)").fill(uraian)
    form.get_by_label(TARGET_LABEL).fill(target)
    form.get_by_label("Batas atas (opsional)").fill(batas_atas)
    form.get_by_label("Satuan").fill(satuan)
    form.get_by_role("button", name="Simpan").click()


def submit(page: Page, shot: str) -> None:
    actions(page).get_by_role("link", name="Ajukan").click()
    expect(page.get_by_role("dialog", name="Ajukan SKP?")).to_be_visible()
    screenshot(page, shot)
    confirm_in_modal(page, "Ajukan SKP?", "Ajukan")
    expect(page.get_by_role("alert").filter(has_text="SKP diajukan.")).to_be_visible()
    expect(status_of(page)).to_have_text("Diajukan")


def open_from_inbox(page: Page, cast: Cast) -> None:
    awaiting = page.locator("[data-awaiting]").get_by_role("link").filter(has_text=cast.pegawai.nama_lengkap)
    expect(awaiting).to_have_count(1)
    awaiting.click()
    expect(page.get_by_role("heading", name=f"Sasaran Kinerja Pegawai {cast.tahun}")).to_be_visible()
    expect(page.get_by_text("SKP ini menunggu keputusan Anda.")).to_be_visible()


# --- The journey ---------------------------------------------------------------------------------


def pegawai_starts_and_adds_the_rhk_on_a_phone(phone: Page, live_server, cast: Cast) -> None:
    login(phone, live_server, cast.pegawai_login, DEMO_PASSWORD)
    expect(phone.locator('[data-home="pegawai"]')).to_be_visible()
    screenshot(phone, "skp-journey-01-phone-pegawai-home")
    phone.get_by_role("link", name="Susun SKP", exact=True).click()
    phone.get_by_role("button", name=f"Mulai SKP {cast.tahun}").click()
    expect(phone.get_by_role("alert").filter(has_text=f"SKP {cast.tahun} dibuat.")).to_be_visible()
    expect(status_of(phone)).to_have_text("Draf")

    phone.get_by_role("link", name="Tambah RHK Utama").click()
    form = phone.locator('form[data-form="rhk"]')
    expect(form).to_be_visible()
    form.get_by_label("Rencana hasil kerja (RHK)").fill(RHK_PEGAWAI)
    form.get_by_label("RHK pimpinan yang diintervensi").select_option(label=cast.rhk_pimpinan)
    screenshot(phone, "skp-journey-02-phone-rhk-form")
    form.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_role("status").filter(has_text="RHK disimpan.")).to_be_visible()
    expect(form).to_have_count(0)
    expect(rhk_row(phone)).to_contain_text(cast.rhk_pimpinan)
    expect(rhk_row(phone)).to_contain_text("Belum ada indikator kinerja (IKI).")
    screenshot(phone, "skp-journey-03-phone-rhk-saved")


def pegawai_adds_the_iki_and_submits(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.pegawai_login, DEMO_PASSWORD)
    page.locator("#mainnav").get_by_role("button", name="Kinerja saya").click()  # the dropdown toggle
    page.locator("#mainnav").get_by_role("link", name="SKP saya", exact=True).click()
    page.get_by_role("link").filter(has=page.locator('[data-status="DRAFT"]')).click()
    expect(status_of(page)).to_have_text("Draf")

    add_iki(page, aspek="Kuantitas", uraian=IKI_KUANTITAS, target="10", batas_atas="5", satuan="dokumen")
    form = page.locator('form[data-form="iki"]')
    expect(form.get_by_text(RANGE_ERROR)).to_be_visible()
    expect(form.get_by_label("Indikator kinerja individu (IKI)")).to_have_value(IKI_KUANTITAS)
    expect(form.get_by_label("Aspek")).to_have_value("KUANTITAS")
    expect(form.get_by_label("Satuan")).to_have_value("dokumen")
    screenshot(page, "skp-journey-04-iki-target-error")

    form.get_by_label(TARGET_LABEL).fill("12")
    form.get_by_label("Batas atas (opsional)").fill("")
    form.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("status").filter(has_text="IKI disimpan.")).to_be_visible()
    expect(form).to_have_count(0)
    expect(rhk_row(page)).to_contain_text(IKI_KUANTITAS)
    expect(rhk_row(page)).to_contain_text("12 dokumen")
    expect(page.locator("[data-checklist]")).to_contain_text("SKP siap diajukan.")
    screenshot(page, "skp-journey-05-iki-saved")

    submit(page, "skp-journey-06-ajukan-modal")
    screenshot(page, "skp-journey-07-diajukan")
    log_out(page)


def supervisor_returns_it(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.supervisor_login, DEMO_PASSWORD)
    expect(page.locator('[data-home="supervisor"]')).to_be_visible()
    pending = page.locator("[data-pending]")
    expect(pending).to_have_attribute("data-pending", str(cast.waiting))
    expect(page.get_by_text(f"{cast.waiting} SKP bawahan menunggu persetujuan Anda.")).to_be_visible()
    screenshot(page, "skp-journey-08-supervisor-home")
    pending.click()
    expect(page.get_by_role("heading", name=f"Menunggu keputusan Anda ({cast.waiting})")).to_be_visible()
    screenshot(page, "skp-journey-09-inbox")
    open_from_inbox(page, cast)
    expect(rhk_row(page)).to_contain_text(IKI_KUANTITAS)

    actions(page).get_by_role("link", name="Kembalikan").click()
    dialog = page.get_by_role("dialog", name="Kembalikan SKP untuk diperbaiki")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Catatan untuk pegawai").fill(CATATAN)
    screenshot(page, "skp-journey-10-kembalikan-modal")
    dialog.get_by_role("button", name="Kembalikan").click()
    expect(page.get_by_role("alert").filter(has_text="SKP dikembalikan ke pegawai")).to_be_visible()
    expect(status_of(page)).to_have_text("Dikembalikan untuk revisi")
    expect(actions(page).get_by_role("link", name="Setujui")).to_have_count(0)
    log_out(page)


def pegawai_revises_and_resubmits(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.pegawai_login, DEMO_PASSWORD)
    expect(page.locator('[data-skp-status="REVISI"]')).to_have_text("Dikembalikan untuk revisi")
    screenshot(page, "skp-journey-11-pegawai-home-revisi")
    page.get_by_role("link", name="Buka SKP").click()
    expect(status_of(page)).to_have_text("Dikembalikan untuk revisi")
    note = page.locator("[data-return-note]")
    expect(note).to_contain_text(CATATAN)
    expect(note).to_contain_text(f"Dikembalikan oleh {cast.supervisor.nama_lengkap}")
    screenshot(page, "skp-journey-12-return-note")
    for link in EDITOR_LINKS:  # the editor is open again (and the check after approval can fail)
        expect(page.get_by_role("link", name=named(link)).first).to_be_visible()

    add_iki(page, aspek="Kualitas", uraian=IKI_KUALITAS, target="95", satuan="persen")
    expect(page.get_by_role("status").filter(has_text="IKI disimpan.")).to_be_visible()
    second = page.locator("#hasil-kerja tr", has_text=IKI_KUALITAS)  # the RHK's second row
    expect(second).to_contain_text("Kualitas")
    expect(second).to_contain_text("95 persen")
    submit(page, "skp-journey-13-ajukan-lagi")
    log_out(page)


def supervisor_approves(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.supervisor_login, DEMO_PASSWORD)
    page.locator("#mainnav").get_by_role("button", name="Tim saya").click()  # an <a role="button">
    page.get_by_role("link", name="Persetujuan SKP").click()
    open_from_inbox(page, cast)
    expect(page.locator("#hasil-kerja")).to_contain_text(IKI_KUALITAS)

    actions(page).get_by_role("link", name="Setujui").click()
    screenshot(page, "skp-journey-14-setujui-modal")
    confirm_in_modal(page, "Setujui SKP?", "Setujui")
    expect(page.get_by_role("alert").filter(has_text="SKP disetujui dan kini terkunci.")).to_be_visible()
    expect(status_of(page)).to_have_text("Disetujui")
    for decision in ("Setujui", "Kembalikan"):
        expect(actions(page).get_by_role("link", name=named(decision))).to_have_count(0)
    # A change now needs a revision.
    expect(actions(page).get_by_role("link", name=named("Buka revisi"))).to_be_visible()
    screenshot(page, "skp-journey-15-disetujui-supervisor")
    log_out(page)


def pegawai_sees_it_locked_and_prints_it(page: Page, live_server, cast: Cast) -> None:
    login(page, live_server, cast.pegawai_login, DEMO_PASSWORD)
    expect(page.locator('[data-skp-status="DISETUJUI"]')).to_have_text("Disetujui")
    page.get_by_role("link", name="Buka SKP").click()
    expect(status_of(page)).to_have_text("Disetujui")
    for link in EDITOR_LINKS:
        expect(page.get_by_role("link", name=named(link))).to_have_count(0)
    expect(page.get_by_role("button", name="Simpan")).to_have_count(0)
    expect(page.locator("#lampiran textarea")).to_have_count(0)
    screenshot(page, "skp-journey-16-disetujui-pegawai")

    pk = re.search(r"/skp/(\d+)/", page.url).group(1)
    response = page.request.get(f"{live_server.url}/skp/{pk}/pdf/")  # the page's session cookie
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment")
    (ARTIFACTS / "skp-journey.pdf").write_bytes(response.body())
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    for expected in (
        cast.pegawai.nama_lengkap,
        format_nip(cast.pegawai.nip),
        cast.supervisor.nama_lengkap,
        format_nip(cast.supervisor.nip),
        RHK_PEGAWAI,
        cast.rhk_pimpinan,
        IKI_KUANTITAS,
        IKI_KUALITAS,
    ):
        assert expected in text, f"{expected!r} is not in the PDF"
    assert "DRAF" not in text


def test_pegawai_plans_an_skp_the_supervisor_returns_then_approves_and_it_prints(page, phone_page, live_server):
    cast = arrange()

    pegawai_starts_and_adds_the_rhk_on_a_phone(phone_page, live_server, cast)
    pegawai_adds_the_iki_and_submits(page, live_server, cast)
    supervisor_returns_it(page, live_server, cast)
    pegawai_revises_and_resubmits(page, live_server, cast)
    supervisor_approves(page, live_server, cast)
    pegawai_sees_it_locked_and_prints_it(page, live_server, cast)
