"""Logging in and out in a real browser: each demo role lands on its own home page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory

from .conftest import login, screenshot

pytestmark = pytest.mark.browser

# The marker each home template carries; a kepala unit is a pejabat penilai too.
HOME_OF = {
    "superadmin": "superadmin",
    "hr": "hr",
    "kepala_unit": "supervisor",
    "supervisor": "supervisor",
    "pegawai": "pegawai",
}


def seed_demo():
    """The demo organisation, small. Seeded per test: live_server's database is emptied after each."""
    from accounts.demo import demo_logins

    call_command("seed_demo", "--employees", "80")
    return list(demo_logins())


def log_out(page):
    page.locator(".navbar .dropdown-toggle:has(.bi-person-circle)").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("role", HOME_OF)
def test_demo_login_lands_on_the_home_page_of_its_role_and_logs_out(role, page, live_server):
    logins = [entry for entry in seed_demo() if entry.role == role]
    assert logins, f"seed_demo gives no {role} login"

    for number, entry in enumerate(logins):
        login(page, live_server, entry.username, entry.password)
        expect(page.locator(f'[data-home="{HOME_OF[role]}"]')).to_be_visible()
        screenshot(page, f"home-{role}" + (f"-{number}" if number else ""))

        log_out(page)
        expect(page).to_have_url(re.compile(r"/masuk/$"))
        expect(page.get_by_label("NIP atau nama pengguna")).to_be_visible()


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(page, live_server):
    UserFactory(username="pegawai-uji")

    login(page, live_server, "pegawai-uji", TEST_PASSWORD + "-salah")

    expect(page.get_by_text("NIP/nama pengguna atau kata sandi salah")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/masuk/$"))
    expect(page.get_by_label("NIP atau nama pengguna")).to_have_value("pegawai-uji")
    screenshot(page, "login-wrong-password")


def test_pegawai_on_a_phone_opens_the_menu_with_the_toggler_and_logs_out(phone_page, live_server):
    pegawai = next(entry for entry in seed_demo() if entry.role == "pegawai")

    login(phone_page, live_server, pegawai.username, pegawai.password)
    expect(phone_page.locator('[data-home="pegawai"]')).to_be_visible()
    menu = phone_page.locator("#mainnav")
    expect(menu.get_by_role("link", name="Beranda")).to_be_hidden()

    phone_page.get_by_role("button", name="Buka menu").tap()

    expect(menu).to_have_class(re.compile(r"\bshow\b"))  # set once the opening animation has ended
    expect(menu.get_by_role("link", name="Beranda")).to_be_visible()
    screenshot(phone_page, "phone-pegawai-menu")
    menu.locator(".dropdown-toggle:has(.bi-person-circle)").tap()
    menu.get_by_role("button", name="Keluar").tap()
    expect(phone_page).to_have_url(re.compile(r"/masuk/$"))
