"""Login security (issue 9 item 2–3): the lockout after five wrong passwords, sessions that end,
and passwords that are never the NIP. Every login here goes through the login form, as a person's
does, so django-axes sees it."""

import datetime
import re
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_create_for_pegawai
from accounts.tests.factories import TEST_PASSWORD, PegawaiFactory

pytestmark = pytest.mark.django_db

AXES_ENABLED = True  # read by conftest._axes_only_where_login_goes_through_the_form

LOCKED = "Terlalu banyak percobaan masuk"
WRONG = "NIP/nama pengguna atau kata sandi salah"
UNKNOWN_NIP = "199001012015011999"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_five_times(client, username, ip="10.0.0.1"):
    """Four wrong passwords get the usual message; the fifth already answers with the lockout."""
    for n in range(4):
        response = attempt(client, username, f"salah-{n}-sekali", ip)
        assert response.status_code == 200 and WRONG in response.content.decode()
    response = attempt(client, username, "salah-4-sekali", ip)
    assert response.status_code == 429 and LOCKED in response.content.decode()


def without_csrf_token(response) -> str:
    """The page, minus the CSRF token (masked afresh on every render)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", response.content.decode())


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout -----------------------------------------------------------------------------------------------


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_the_lockout_page(client, org):
    fail_five_times(client, org.pegawai.nip)
    response = attempt(client, org.pegawai.nip, TEST_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "30 menit" in page and "admin kepegawaian" in page
    assert org.pegawai.nip not in page  # the page does not repeat what was typed
    assert not logged_in(client)


def test_four_wrong_passwords_do_not_lock_and_a_success_starts_the_count_again(client, org):
    for _ in range(2):
        for n in range(4):
            attempt(client, org.pegawai.nip, f"salah-{n}")
        assert attempt(client, org.pegawai.nip, TEST_PASSWORD).status_code == 302
        client.logout()


def test_a_locked_nip_does_not_lock_another_username_nor_the_same_nip_from_another_address(client, org):
    fail_five_times(client, org.pegawai.nip)
    assert attempt(client, org.hr_admin.username, TEST_PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, org.pegawai.nip, TEST_PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_nip_typed_in_display_form_counts_as_the_same_nip(client, org):
    nip = org.pegawai.nip
    display = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    for n in range(5):
        attempt(client, display if n % 2 else nip, f"salah-{n}")
    assert attempt(client, nip, TEST_PASSWORD).status_code == 429


def test_the_lock_lifts_after_thirty_minutes(client, org):
    fail_five_times(client, org.pegawai.nip)
    assert attempt(client, org.pegawai.nip, TEST_PASSWORD).status_code == 429
    # As if the failures had happened 30 minutes and a second ago.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=30, seconds=1))
    assert attempt(client, org.pegawai.nip, TEST_PASSWORD).status_code == 302


def test_the_lockout_reads_the_same_for_an_existing_and_an_unknown_nip(client, org):
    fail_five_times(client, org.pegawai.nip)
    fail_five_times(client, UNKNOWN_NIP)
    known = attempt(client, org.pegawai.nip, TEST_PASSWORD)
    unknown = attempt(client, UNKNOWN_NIP, TEST_PASSWORD)
    assert (known.status_code, unknown.status_code) == (429, 429)
    assert without_csrf_token(known) == without_csrf_token(unknown)


# --- Sessions ----------------------------------------------------------------------------------------------


def test_the_session_cookie_ends_with_the_browser_and_the_session_after_a_working_day(client, org):
    response = attempt(client, org.pegawai.nip, TEST_PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["expires"], cookie["max-age"]) == ("", "")  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 60 * 60

    home = reverse("accounts:home")
    almost = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    with mock.patch("django.utils.timezone.now", return_value=almost):
        assert client.get(home).status_code == 200
    # Each request saved nothing (SESSION_SAVE_EVERY_REQUEST is off), so the day counts from the login.
    expired = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with mock.patch("django.utils.timezone.now", return_value=expired):
        response = client.get(home)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- No password defaults to the NIP -------------------------------------------------------------------------


def test_a_login_created_without_a_password_is_refused_on_the_form_with_the_nip_as_password(client, org):
    pegawai = PegawaiFactory(instansi=org.instansi)
    user_create_for_pegawai(pegawai=pegawai, password=None)
    response = attempt(client, pegawai.nip, pegawai.nip)
    assert response.status_code == 200 and WRONG in response.content.decode()
    assert not logged_in(client)
