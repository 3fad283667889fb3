"""Translations: Indonesian is the source language and the default; English is a complete catalogue.

The catalogues are read with the dependency-free parser of ``scripts/i18n_check.py``, which also
runs the slower check against the strings in the code (``makemessages`` on a copy of the tree).
"""

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

BASE_DIR = Path(settings.BASE_DIR)


def _load_checker():
    spec = importlib.util.spec_from_file_location("i18n_check", BASE_DIR / "scripts" / "i18n_check.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("i18n_check", module)  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


i18n_check = _load_checker()


def catalogue(lang: str) -> Path:
    return BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def english():
    return i18n_check.parse_po(catalogue("en"))


def listing(entries) -> str:
    return "\n".join(f"  {e.where()}: {e.label()}" for e in entries)


# --- The catalogues ---------------------------------------------------------------------------


def test_both_catalogues_exist_and_are_compiled():
    for lang in ("id", "en"):
        assert catalogue(lang).exists(), f"locale/{lang} has no django.po: run `make messages`"
        assert catalogue(lang).with_suffix(".mo").exists(), f"locale/{lang} has no django.mo: run compilemessages"


def test_english_catalogue_has_entries_and_a_clean_header(english):
    header = next(e for e in english if e.is_header)
    assert not header.fuzzy
    assert "Language: en\n" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr
    assert len(i18n_check.live_entries(english)) > 100


def test_english_catalogue_has_no_empty_translation(english):
    empty = [e for e in i18n_check.live_entries(english) if not e.translated]
    assert not empty, f"{len(empty)} English entries without msgstr:\n{listing(empty)}"


def test_english_catalogue_has_no_fuzzy_entry(english):
    fuzzy = [e for e in english if e.fuzzy and not e.obsolete]
    assert not fuzzy, f"{len(fuzzy)} fuzzy English entries (gettext ignores them):\n{listing(fuzzy)}"


def test_english_plurals_have_both_forms(english):
    plurals = [e for e in i18n_check.live_entries(english) if e.msgid_plural is not None]
    assert plurals, "expected a few blocktranslate count / ngettext entries"
    wrong = [e for e in plurals if sorted(e.msgstr_plural) != [0, 1]]
    assert not wrong, f"plural entries need msgstr[0] and msgstr[1]:\n{listing(wrong)}"


def test_english_translations_keep_their_placeholders(english):
    wrong = [(e, p) for e in i18n_check.live_entries(english) for p in i18n_check.placeholder_problems(e)]
    assert not wrong, "\n".join(f"  {e.where()}: {e.label()} — {p}" for e, p in wrong)


def test_compiled_catalogues_match_their_po_files():
    for lang in ("id", "en"):
        po = catalogue(lang)
        problem = i18n_check.check_mo(po, i18n_check.parse_po(po))
        assert problem is None, f"{problem}: run `.venv/bin/python manage.py compilemessages --ignore=.venv`"


def test_placeholder_check_catches_a_renamed_placeholder():
    entry = i18n_check.Entry(msgid="SKP %(tahun)s Anda", msgstr="Your SKP %(year)s", flags={"python-format"})
    assert i18n_check.placeholder_problems(entry) == ["missing %(tahun)s; unknown %(year)s"]


def test_po_parser_reads_plurals_flags_and_continuation_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        "#: a.py:1\n#, fuzzy, python-format\n"
        'msgid ""\n"%(n)s pegawai "\n"aktif"\nmsgid_plural "%(n)s pegawai aktif"\n'
        'msgstr[0] "%(n)s active employee"\nmsgstr[1] "%(n)s active "\n"employees"\n\n'
        '#~| msgid "Lamaa"\n#~ msgid "Lama"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, plural, old = i18n_check.parse_po(po)
    assert header.is_header and header.msgstr == "Language: en\n"
    assert plural.msgid == "%(n)s pegawai aktif" and plural.fuzzy and "python-format" in plural.flags
    assert plural.msgstr_plural == {0: "%(n)s active employee", 1: "%(n)s active employees"}
    assert plural.references == ["a.py:1"]
    assert old.obsolete and old.msgstr == "Old"


# --- At run time -------------------------------------------------------------------------------


def test_gettext_uses_the_english_catalogue():
    with translation.override("en"):
        assert translation.gettext("Masuk ke SIKAP") == "Log in to SIKAP"
        assert translation.ngettext("%(n)s pegawai", "%(n)s pegawai", 1) % {"n": 1} == "1 employee"
        assert translation.ngettext("%(n)s pegawai", "%(n)s pegawai", 3) % {"n": 3} == "3 employees"
    with translation.override("id"):
        assert translation.gettext("Masuk ke SIKAP") == "Masuk ke SIKAP"


@pytest.mark.django_db
def test_indonesian_is_the_default_on_a_fresh_client(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Masuk ke SIKAP" in html
    assert "Log in to SIKAP" not in html


@pytest.mark.django_db
def test_set_language_view_switches_the_login_page_to_english(client):
    login_url = reverse("accounts:login")
    assert login_url == "/masuk/"
    response = client.post("/i18n/setlang/", {"language": "en", "next": login_url}, follow=True)
    assert response.redirect_chain == [(login_url, 302)]
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in to SIKAP" in html  # the heading
    assert "Employees log in with their NIP/NI PPPK; admins with their username." in html
    assert "NIP or username" in html  # a form label (gettext_lazy)
    assert "Civil Servant Performance Information System" in html  # base.html
    assert "Masuk ke SIKAP" not in html

    # The choice sticks (language cookie) and can be switched back.
    assert "Log in to SIKAP" in client.get(login_url).content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": login_url})
    assert "Masuk ke SIKAP" in client.get(login_url).content.decode()


@pytest.mark.django_db
def test_wrong_login_message_is_translated(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    response = client.post("/masuk/", {"username": "nobody", "password": "wrong-password"})
    assert "Wrong NIP/username or password. Please check and try again." in response.content.decode()


def test_dates_render_in_indonesian_by_default():
    assert settings.LANGUAGE_CODE == "id"
    with translation.override(settings.LANGUAGE_CODE):
        assert formats.date_format(date(2026, 1, 15), "j F Y") == "15 Januari 2026"
    with translation.override("id"):
        assert "Januari" in formats.date_format(date(2026, 1, 15), "j F Y")
        assert formats.date_format(date(2026, 8, 17), "j F Y") == "17 Agustus 2026"
    with translation.override("en"):
        assert formats.date_format(date(2026, 1, 15), "j F Y") == "15 January 2026"
