"""Personas per instansi, as in conventions.md: an HR admin, a kepala unit, a pejabat
penilai, a pegawai, a colleague, and an outsider instansi with its own HR admin and staff."""

import os
from types import SimpleNamespace

import pytest

from accounts.models import JenisJabatan
from accounts.tests.factories import (
    InstansiFactory,
    JabatanFactory,
    UnitKerjaFactory,
    UserFactory,
    pegawai_in_post,
    refresh,
)


def build_instansi(kode: str, nama: str) -> SimpleNamespace:
    """A small instansi: Dinas → Bidang → Seksi, with a chain kepala dinas → kabid → kasi → staff."""
    instansi = InstansiFactory(kode=kode, nama=nama)
    dinas = UnitKerjaFactory(instansi=instansi, nama="Dinas Kesehatan", jenis="OPD")
    bidang = UnitKerjaFactory(instansi=instansi, parent=dinas, nama="Bidang Pelayanan", jenis="BIDANG")
    seksi = UnitKerjaFactory(instansi=instansi, parent=bidang, nama="Seksi Rujukan", jenis="SUBBIDANG")
    other_seksi = UnitKerjaFactory(instansi=instansi, parent=bidang, nama="Seksi Farmasi", jenis="SUBBIDANG")
    j_kadis = JabatanFactory(unit=dinas, nama="Kepala Dinas", jenis=JenisJabatan.JPT_PRATAMA, is_kepala_unit=True)
    j_kabid = JabatanFactory(unit=bidang, nama="Kepala Bidang", jenis=JenisJabatan.ADMINISTRATOR, atasan=j_kadis)
    j_kasi = JabatanFactory(unit=seksi, nama="Kepala Seksi Rujukan", jenis=JenisJabatan.PENGAWAS, atasan=j_kabid)
    j_kasi2 = JabatanFactory(unit=other_seksi, nama="Kepala Seksi Farmasi", jenis=JenisJabatan.PENGAWAS, atasan=j_kabid)
    j_staff = JabatanFactory(unit=seksi, nama="Pengadministrasi Umum", jenis=JenisJabatan.PELAKSANA, atasan=j_kasi)
    j_staff2 = JabatanFactory(unit=other_seksi, nama="Pengelola Obat", jenis=JenisJabatan.PELAKSANA, atasan=j_kasi2)
    ns = SimpleNamespace(instansi=instansi, dinas=dinas, bidang=bidang, seksi=seksi, other_seksi=other_seksi)
    ns.kepala_unit = pegawai_in_post(j_kadis)
    ns.atasan_penilai = pegawai_in_post(j_kabid)
    ns.penilai = pegawai_in_post(j_kasi)
    ns.other_penilai = pegawai_in_post(j_kasi2)
    ns.pegawai = pegawai_in_post(j_staff)
    ns.colleague = pegawai_in_post(j_staff)
    ns.other_staff = pegawai_in_post(j_staff2)
    ns.jabatan = SimpleNamespace(
        kadis=j_kadis, kabid=j_kabid, kasi=j_kasi, kasi2=j_kasi2, staff=j_staff, staff2=j_staff2
    )
    ns.hr_admin = UserFactory(username=f"admin-{kode}", instansi=instansi, is_admin_kepegawaian=True)
    refresh(instansi)
    for name in ("kepala_unit", "atasan_penilai", "penilai", "other_penilai", "pegawai", "colleague", "other_staff"):
        getattr(ns, name).refresh_from_db()
    return ns


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """Each test starts in the default language: a request or test that switched to English
    must not leak into the next test in the same worker (messages are lazy strings)."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def on_day(monkeypatch):
    """``on_day(date)``: from now on in this test, ``timezone.localdate()`` (today) is ``date``, for
    the screens and jobs that follow the calendar (this year's plan, the periods still being
    evaluated). Converting a given datetime is left alone. Fixtures built on 2026 stay meaningful
    in later years this way."""
    from django.utils import timezone

    real = timezone.localdate

    def set_today(day):
        def localdate(value=None, timezone=None):  # Django's own signature
            return day if value is None else real(value, timezone)

        monkeypatch.setattr(timezone, "localdate", localdate)

    return set_today


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty (process-local) cache: a public survey channel cached by
    one test must not answer for a row another test rewrote with a signal-less update()."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real passwords, not test fixtures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_in_process_unless_services(request):
    """With CELERY_BROKER_URL set (CI's second run) only tests marked ``services`` talk to the
    real worker; every other test keeps running its tasks in-process, as on a laptop."""
    if request.node.get_closest_marker("services"):
        yield
        return
    from sikap.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def org(db):
    """The instansi under test."""
    return build_instansi("kota-uji", "Pemerintah Kota Uji")


@pytest.fixture
def outsider(db):
    """Another instansi: its HR admin and staff must never see ``org``."""
    return build_instansi("kota-lain", "Pemerintah Kota Lain")


@pytest.fixture
def superadmin(db):
    return UserFactory(username="superadmin", is_superuser=True, is_staff=True)


def login(client, who):
    """Log ``who`` (a User, or a Pegawai with a login) into ``client``."""
    user = getattr(who, "user", who)
    client.force_login(user)
    return client


@pytest.fixture
def as_user(client):
    def _as(who):
        return login(client, who)

    return _as


def pytest_collection_modifyitems(config, items):
    """Tests marked ``services`` need PostgreSQL/Redis/Celery. They skip when those are not
    configured, unless SIKAP_REQUIRE_SERVICES=1 (CI), where a missing service is a failure."""
    from django.conf import settings

    missing = []
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        missing.append("DATABASE_URL=postgres://…")
    if not settings.CELERY_BROKER_URL:
        missing.append("CELERY_BROKER_URL=redis://…")
    if not missing:
        return
    reason = "needs " + " and ".join(missing)
    required = os.environ.get("SIKAP_REQUIRE_SERVICES") == "1"

    def fail_missing_services():
        pytest.fail(f"SIKAP_REQUIRE_SERVICES=1, but this test {reason}", pytrace=False)

    for item in (item for item in items if item.get_closest_marker("services")):
        if required:
            # Each selected test fails with the reason; raising here would crash the xdist workers.
            item.runtest = fail_missing_services
        else:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _axes_only_where_login_goes_through_the_form(request, settings):
    """django-axes' backend refuses ``authenticate()`` without a request, which many tests call
    directly to check a password. The login lockout is tested where a login goes through the
    form: the browser journeys and the modules that set ``AXES_ENABLED = True``."""
    if not (request.node.get_closest_marker("browser") or getattr(request.module, "AXES_ENABLED", False)):
        settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _national_reference_data(request):
    """Transactional tests (live server, browser, real worker) flush every table after they run,
    including the national reference data that data migrations seeded: the BerAKHLAK values and the
    competency dictionary. Seed them again, as the migrations do, so each such test starts from
    the same database a real installation has."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    import_module("appraisal.migrations.0002_seed_berakhlak").seed(apps, None)
    import_module("talenta.migrations.0002_seed_kompetensi").seed(apps, None)
