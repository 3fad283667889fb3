"""Malformed, oversized and hostile input at every page and every form (issue 9, item 4).

Property-based (hypothesis): whatever is sent, SIKAP never answers 500; input it refuses leaves
the database as it was. Two sweeps over every URL of the permission matrix, each opened by the
first persona who may use it:

- GET with hostile query parameters (the filter and paging names the views read, plus junk
  names): very long strings, NUL bytes, SQL-ish and HTML-ish text, unicode, negative and huge
  page numbers and ids;
- POST with hostile values for every field of the forms on that page (field names read from
  the page itself) and for the fields POST-only views read.

The forms people use most get their own, sharper tests (an Indonesian message is shown, the
rows in question are unchanged) in tests/test_bad_input_forms.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_permission_matrix as matrix
from tests.test_permission_matrix import EXPECTED, KWARGS, LOGIN, PERSONAS, user_of

world = matrix.world

# Hypothesis settings shared by the bad-input tests: few examples per endpoint keep the suite fast;
# the fixed @example()s carry the classic attacks on every run.
FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same inputs on every run: a failure in CI is reproducible on a laptop
)

HUGE_NUMBER = "9" * 30  # beyond a 64-bit integer: SQLite/PostgreSQL overflow if passed through
CLASSIC = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "-99999999999",
    HUGE_NUMBER,
    "1e309",
    "NaN",
    "Infinity",
    "1.5",
    "１２",  # full-width digits, which int() accepts
    "²",  # str.isdigit() says yes, int() says no
    "' OR '1'='1' --",
    "1; DROP TABLE accounts_user; --",
    '"><script>alert(1)</script>',
    "{{ 7*7 }}",
    "${7*7}",
    "../../../../etc/passwd",
    "%00",
    "\u202egnp.exe",
    "😀" * 50,
    "x" * 5000,
    "9" * 5000,  # beyond Python's int() digit limit (ValueError, not a number)
]
hostile_text = st.one_of(
    st.sampled_from(CLASSIC),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def _names_the_views_read() -> set[str]:
    """Every query parameter a view reads by name (``request.GET.get("x")``, ``getlist``,
    ``"x" in request.GET``), found in the source, so a parameter added later is swept too: the
    hand list missed the cascade tree's ``root`` and ``offset``, and both were 500s on "²"."""
    pattern = re.compile(r'request\.GET\.(?:get|getlist)\(\s*"(\w+)"|"(\w+)" in request\.GET')
    names = set()
    for app in ("accounts", "appraisal", "surveys", "reports", "talenta", "ops", "sikap"):
        for path in (Path(django_settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" not in path.parts:
                names.update(a or b for a, b in pattern.findall(path.read_text(encoding="utf-8")))
    return names


# The parameters the views read by name, the filter forms' fields (bound to request.GET), and a few
# that nothing reads.
QUERY_NAMES = sorted(
    {
        *_names_the_views_read(),
        *[
            "page",
            "hal_evaluasi",
            "hal_skp",
            "q",
            "status",
            "tanggal",
            "inline",
            "tahun",
            "unit",
            "periode",
            "jenis",
            "kotak",
            "petugas",
            "alasan",
            "kembali",
            "t",
            "rating_hasil_kerja",
            "rating_perilaku_kerja",
            "justifikasi",
            "jabatan",
            "golongan",
            "instansi",
            "sort",
            "next",
            "__proto__",
        ],
    }
)
hostile_query = st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_text, min_size=1, max_size=6)


def fingerprint() -> dict[str, int]:
    """Rows per table of SIKAP's apps, history tables included: a refused write that touched any
    score-affecting row would have left a historical record, so counts catch updates too. Login
    attempts (django-axes) and sessions are not SIKAP's data."""
    labels = {"accounts", "appraisal", "surveys", "reports", "talenta"}
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in labels and not m._meta.proxy
    }


def allowed_persona(name: str) -> str | None:
    """The first persona whose GET is not refused (200, a redirect other than to the login page,
    or 405 for a POST-only view: the login and access checks passed)."""
    return next((p for p in PERSONAS if EXPECTED[name][p] not in (LOGIN, 403, 404)), None)


def client_for(w, persona) -> Client:
    client = Client(raise_request_exception=False)
    user = user_of(w, persona)
    if user is not None:
        client.force_login(user)
    return client


def crashed(response) -> str:
    """Why a response is a server error, for the assertion message."""
    exc = getattr(response, "exc_info", None)
    return f"{response.status_code}: {exc[1]!r}" if exc else str(response.status_code)


REACHABLE = sorted(name for name in EXPECTED if name in KWARGS and allowed_persona(name))


# --- GET with hostile query parameters ---------------------------------------------------------------------


# Each page gets the classic attacks in every parameter at once; hypothesis then mixes pages and
# parameters (a sweep across all pages keeps the run short on a shared two-core machine).
FIXED_QUERIES = {
    "nul": dict.fromkeys(QUERY_NAMES, "a\x00b"),
    "huge": dict.fromkeys(QUERY_NAMES, HUGE_NUMBER),
    "negative": dict.fromkeys(QUERY_NAMES, "-1"),
    "long": dict.fromkeys(QUERY_NAMES, "x" * 5000),
    "sql": dict.fromkeys(QUERY_NAMES, "' OR '1'='1' --"),
    "superscript": dict.fromkeys(QUERY_NAMES, "²"),
}


def assert_get_survives(w, name, params):
    persona = allowed_persona(name)
    url = reverse(name, kwargs=KWARGS[name](w))
    response = client_for(w, persona).get(url, params)
    assert response.status_code < 500, f"GET {url} {params!r} as {persona} → {crashed(response)}"


@pytest.mark.parametrize("case", FIXED_QUERIES)
@pytest.mark.parametrize("name", REACHABLE)
def test_get_with_classic_hostile_query_parameters_never_crashes(world, db, name, case):
    assert_get_survives(world, name, FIXED_QUERIES[case])


@settings(FUZZ, max_examples=60)
@given(name=st.sampled_from(REACHABLE), params=hostile_query)
def test_get_with_hostile_query_parameters_never_crashes(world, db, name, params):
    assert_get_survives(world, name, params)


# --- POST with hostile values in every field ----------------------------------------------------------------


class FieldNames(HTMLParser):
    """The names of the fields of the POST forms on a page (the CSRF token left out)."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self.in_post_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_post_form = (attrs.get("method") or "").lower() == "post" or "hx-post" in attrs
        elif tag in ("input", "select", "textarea") and self.in_post_form and attrs.get("name"):
            if attrs["name"] != "csrfmiddlewaretoken" and attrs.get("type") != "file":
                self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False


# Fields read by views that have no page of their own (POST-only) or whose form is on another page.
POST_ONLY_FIELDS = [
    "periode",
    "respons",
    "aksi",
    "konfirmasi",
    "status",
    "catatan",
    "alasan",
    "text",
    "keputusan",
    "pertimbangan",
    "pendekatan",
    "jenis",
    "uraian",
    "nama",
    "label",
    "petugas",
    "aktif",
    "versi",
    "action",
    "penilai",
    "tahun",
    "nilai",
]

# Who POSTs to each URL: the first persona that may open it, except where another persona is the
# one who writes (the pejabat penilai decides and verifies; HR runs batches).
WRITER = {
    "appraisal:skp_return": "supervisor",
    "appraisal:skp_approve": "supervisor",
    "appraisal:realisasi_verify": "supervisor",
    "appraisal:evaluasi": "supervisor",
    "appraisal:evaluasi_distribusi": "supervisor",
    "appraisal:keberatan_request_clarification": "supervisor",
    "appraisal:undangan_360_approve": "supervisor",
    "appraisal:keberatan_decide": "supervisor",
    "accounts:instansi_activate": "superadmin",
    "surveys:moderation_decide": "hr_admin",
    "surveys:jenis_layanan_add": "hr_admin",
    "surveys:jenis_layanan_deactivate": "hr_admin",
    "surveys:saluran_add": "hr_admin",
    "surveys:saluran_toggle": "hr_admin",
    "surveys:periode_publish": "hr_admin",
    "surveys:tindak_lanjut_update": "hr_admin",
    "reports:scores_run": "hr_admin",
    "talenta:hitung": "hr_admin",
}
# Logging out is not a form anyone can get wrong; the language switch is Django's own.
NOT_FORMS = {"accounts:logout"}
POSTABLE = sorted(n for n in REACHABLE if n not in NOT_FORMS)
# The token-authenticated JSON API (csrf-exempt, answers 401 without a token) has its own tests.
CSRF_FORMS = [n for n in POSTABLE if not n.startswith("api:")]


def writer(name: str) -> str:
    return WRITER.get(name) or allowed_persona(name)


_field_cache: dict[tuple[str, str], list[str]] = {}


def field_names(client, url: str, persona: str) -> list[str]:
    """The form fields of ``url``'s page (GET), or POST_ONLY_FIELDS when it has none."""
    if (url, persona) not in _field_cache:
        response = client.get(url)
        parser = FieldNames()
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            parser.feed(response.content.decode())
        _field_cache[url, persona] = sorted(parser.names) or POST_ONLY_FIELDS
    return _field_cache[url, persona]


FIXED_VALUES = {"nul": "a\x00b", "huge": HUGE_NUMBER, "long": "x" * 20000, "superscript": "²", "html": CLASSIC[15]}


def assert_post_survives(w, name, payload_for):
    """POST ``payload_for(field names)`` as the writer of ``name``: never a 500, and a 4xx writes nothing."""
    persona = writer(name)
    url = reverse(name, kwargs=KWARGS[name](w))
    with transaction.atomic():
        client = client_for(w, persona)
        payload = payload_for(field_names(client, url, persona))
        before = fingerprint()
        response = client.post(url, payload)
        assert response.status_code < 500, f"POST {url} {payload!r} as {persona} → {crashed(response)}"
        if 400 <= response.status_code < 500:
            assert fingerprint() == before, f"POST {url} was refused ({response.status_code}) but wrote"
        transaction.set_rollback(True)


@pytest.mark.parametrize("case", FIXED_VALUES)
@pytest.mark.parametrize("name", POSTABLE)
def test_post_with_a_hostile_value_in_every_field_never_crashes(world, db, name, case):
    assert_post_survives(world, name, lambda names: dict.fromkeys(names, FIXED_VALUES[case]))


@settings(FUZZ, max_examples=80)
@given(name=st.sampled_from(POSTABLE), data=st.data())
def test_post_with_hostile_values_never_crashes_and_a_refusal_changes_nothing(world, db, name, data):
    def draw(names):
        return data.draw(st.dictionaries(st.sampled_from(names), hostile_text, min_size=1), label="payload")

    assert_post_survives(world, name, draw)


@pytest.mark.parametrize("name", CSRF_FORMS)
def test_a_post_with_too_many_fields_is_refused_with_400(world, db, name):
    """Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) guards every form: a flood of fields is a 400,
    not a slow request and not a 500. CSRF is enforced here, as in production: the CSRF check is
    what reads the body first, so it refuses the flood before any view runs."""
    persona = writer(name)
    url = reverse(name, kwargs=KWARGS[name](world))
    with transaction.atomic():
        client = client_for(world, persona)
        client.handler.enforce_csrf_checks = True
        client.cookies[django_settings.CSRF_COOKIE_NAME] = TOKEN
        before = fingerprint()
        response = client.post(url, {"csrfmiddlewaretoken": TOKEN, **{f"f{i}": "x" for i in range(1500)}})
        assert response.status_code == 400, crashed(response)
        assert fingerprint() == before
        transaction.set_rollback(True)


TOKEN = "a" * 32  # a well-formed CSRF secret, sent as cookie and field alike


@pytest.mark.parametrize("name", CSRF_FORMS)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world, db, name):
    persona = writer(name)
    url = reverse(name, kwargs=KWARGS[name](world))
    with transaction.atomic():
        client = client_for(world, persona)
        client.handler.enforce_csrf_checks = True
        before = fingerprint()
        response = client.post(url, dict.fromkeys(field_names(client, url, persona), "1"))
        assert response.status_code == 403, crashed(response)
        assert fingerprint() == before
        transaction.set_rollback(True)


def test_uploaded_files_are_not_served_outside_the_access_checked_view(client, world, db):
    """Evidence lives in MEDIA_ROOT, which no URL serves: only appraisal:bukti_download (which
    checks who asks) hands it out."""
    stored = world.bukti.berkas.name
    for prefix in ("/media/", "/static/", "/"):
        assert client.get(prefix + stored).status_code == 404
    client.force_login(world.org.pegawai.user)
    assert client.get(prefix + stored).status_code == 404
    assert client.get(reverse("appraisal:bukti_download", args=[world.bukti.pk])).status_code == 200


def test_the_fingerprint_notices_a_write(world, db):
    """The "database unchanged" checks above can fail: a new row changes the fingerprint."""
    from appraisal.models import LampiranSKP

    with transaction.atomic():
        before = fingerprint()
        LampiranSKP.objects.create(skp=world.skp, jenis="KONSEKUENSI", uraian="x")
        assert fingerprint() != before
        transaction.set_rollback(True)


# Page numbers and ids that mean nothing: never a 500, and paging falls back to a real page.
@pytest.mark.parametrize("page", ["-1", "0", HUGE_NUMBER, "abc", "1.5", "１"])
def test_a_nonsense_page_number_shows_a_page(world, db, page):
    response = client_for(world, "hr_admin").get(reverse("accounts:pegawai_list"), {"page": page})
    assert response.status_code == 200
    assert re.search(r"Pegawai", response.content.decode())


def test_a_nul_in_a_parameter_is_refused_before_any_view(world, db):
    """sikap.middleware.RejectNulMiddleware: PostgreSQL cannot store or compare NUL in text."""
    response = client_for(world, "hr_admin").get(reverse("accounts:pegawai_list"), {"page": "\x00", "q": "a\x00"})
    assert response.status_code == 400
    assert "karakter yang tidak diizinkan" in response.content.decode()
