"""A citizen scans the QR poster and answers the SKM on a phone (rules §6.3, §6.4)."""

import re
import time

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from surveys import rules
from surveys.models import Respons
from surveys.tests.factories import respons_with_answers, survey_setup

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

MIN_FILL_SECONDS = 3


def no_horizontal_scroll(page) -> bool:
    """Nothing is wider than the phone. A mobile browser widens its layout viewport to fit wide
    content (then zooms out), so the layout width is compared with the device's, not only with
    the page's own innerWidth."""
    width = page.viewport_size["width"]
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return scroll <= width and inner == width


def question(page, unsur):
    """The fieldset of one question, found as a screen reader names it (its legend)."""
    nomor = rules.UNSUR.index(unsur) + 1
    nama = re.escape(unsur.nama).replace("/", r"\/")  # Playwright's selector parser ends a regex at "/"
    return page.get_by_role("group", name=re.compile(f"^Pertanyaan {nomor} dari 9 · {nama}"))


def test_a_citizen_answers_everything_by_tapping_and_is_counted(phone_page, live_server, org, settings):
    settings.SURVEY_MIN_FILL_SECONDS = MIN_FILL_SECONDS
    setup = survey_setup(org.instansi)
    page = phone_page

    page.goto(f"{live_server.url}/s/{setup.saluran.kode}/")
    opened = time.monotonic()
    expect(page.get_by_role("heading", level=1)).to_have_text("Puskesmas Sukajadi")
    assert no_horizontal_scroll(page)

    page.get_by_label("Layanan apa yang Anda terima hari ini?").select_option(label="Pemeriksaan umum")
    for unsur in rules.UNSUR:
        group = question(page, unsur)
        group.locator("label.skm-option", has_text=re.compile(f"^{re.escape(unsur.label[3])}$")).tap()
        expect(group.get_by_label(unsur.label[3], exact=True)).to_be_checked()
    page.get_by_role("group", name="Jenis kelamin").locator("label", has_text="Perempuan").tap()
    page.get_by_label("Usia (tahun)").fill("29")
    page.get_by_label("Pendidikan terakhir").select_option("S1")
    page.get_by_label("Pekerjaan", exact=True).select_option("SWASTA")
    page.get_by_label(re.compile("^Saran dan masukan")).fill("Petugas ramah, ruang tunggu bersih.")
    screenshot(page, "skm-form-phone")

    page.wait_for_timeout(max(0, (MIN_FILL_SECONDS + 0.5 - (time.monotonic() - opened)) * 1000))
    page.get_by_role("button", name="Kirim survei").tap()

    expect(page).to_have_url(re.compile(rf"/s/{setup.saluran.kode}/terima-kasih/$"))
    expect(page.get_by_role("heading", name="Terima kasih!")).to_be_visible()
    assert no_horizontal_scroll(page)
    screenshot(page, "skm-thanks-phone")

    respons = Respons.objects.get()
    assert respons.status == "DITERIMA", respons.tanda
    assert {j.unsur: j.nilai for j in respons.jawaban.all()} == dict.fromkeys(rules.UNSUR_KODE, 4)
    assert (respons.jenis_layanan, respons.usia, respons.pekerjaan) == (setup.jenis_layanan, 29, "SWASTA")


def test_the_form_fits_a_360_px_phone_even_with_errors_and_shows_focus(phone_page, live_server, org):
    setup = survey_setup(org.instansi)
    page = phone_page
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/s/{setup.saluran.kode}/")
    assert no_horizontal_scroll(page)

    # Keyboard users see where they are: the focused answer's whole row is outlined.
    page.get_by_label("Layanan apa yang Anda terima hari ini?").focus()
    page.keyboard.press("Tab")
    focused = page.locator("label.skm-option:has(input:focus-visible)")
    expect(focused).to_have_count(1)
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"

    question(page, rules.UNSUR[0]).locator("label.skm-option").first.tap()
    page.get_by_label("Usia (tahun)").fill("7")
    page.get_by_role("button", name="Kirim survei").tap()

    expect(page.get_by_role("alert")).to_contain_text("isian yang perlu diperbaiki")
    expect(page.get_by_text("Usia harus antara 15 dan 100 tahun.").first).to_be_visible()
    expect(question(page, rules.UNSUR[0]).get_by_label(rules.UNSUR[0].label[0], exact=True)).to_be_checked()
    assert no_horizontal_scroll(page)
    screenshot(page, "skm-form-errors-360")
    assert not Respons.objects.exists()

    page.goto(f"{live_server.url}/s/tidakada/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Survei tidak ditemukan")
    assert no_horizontal_scroll(page)


def test_the_hr_admin_moderates_on_a_phone_without_the_page_widening(phone_page, live_server, org):
    setup = survey_setup(org.instansi)
    for tanda in ("honeypot, terlalu cepat", "berulang"):
        respons_with_answers(setup.unit_layanan, 1, status="DITANDAI", tanda=tanda)
    page = phone_page
    login(page, live_server, org.hr_admin.username, TEST_PASSWORD)

    page.goto(f"{live_server.url}/skm/moderasi/")
    # The table scrolls inside its card; the page itself stays phone-wide.
    assert no_horizontal_scroll(page)
    page.locator('input[name="respons"]').first.check()
    page.get_by_role("button", name="Tolak yang dipilih").tap()
    page.get_by_role("button", name="Ya, tolak 1 respons").tap()

    expect(page.get_by_text("1 respons ditolak dan tidak dihitung.")).to_be_visible()
    assert sorted(Respons.objects.values_list("status", flat=True)) == ["DITANDAI", "DITOLAK"]
