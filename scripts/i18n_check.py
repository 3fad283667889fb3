#!/usr/bin/env python
"""Check the translation catalogues against the code.

Indonesian is the source language of every user-facing string; English lives in
``locale/en/LC_MESSAGES/django.po``. This script fails (exit 1, with a list) when:

* a string marked for translation in the code is missing from the English catalogue,
  or is there with an empty ``msgstr`` (``make messages`` then translate it);
* an English entry is still ``#, fuzzy`` (gettext ignores fuzzy entries at run time);
* an English ``msgstr`` does not carry exactly the placeholders of its ``msgid``;
* a ``.mo`` file is missing, or is older than its ``.po`` and does not hold what the
  ``.po`` holds (``manage.py compilemessages``). A ``.mo`` whose content matches its
  ``.po`` passes even when its timestamp is older, as after a fresh ``git clone``.

The strings in the code are found by running the real ``makemessages`` on a temporary
copy of the source tree, so the catalogues in ``locale/`` are never touched.

Usage (from the project root)::

    .venv/bin/python scripts/i18n_check.py            # full check
    .venv/bin/python scripts/i18n_check.py --no-scan  # catalogues and .mo files only

Standard library only (plus Django's ``makemessages`` and GNU gettext for the scan).
"""

from __future__ import annotations

import argparse
import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
DOMAIN = "django"
TARGET_LANGUAGE = "en"  # must be fully translated
SOURCE_LANGUAGE = "id"  # msgstr may stay empty: the msgids are already Indonesian
LANGUAGES = (SOURCE_LANGUAGE, TARGET_LANGUAGE)

# Same list as `make messages`: folders that hold no strings of ours.
IGNORED = (".venv", "staticfiles", "static/vendor", "test-artifacts")
# Never copied for the scan (besides IGNORED): no translatable source in there.
SKIPPED_DIRS = {".git", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache", "locale", "media"}
SCANNED_SUFFIXES = {".py", ".html", ".txt"}  # makemessages' defaults for the "django" domain


# --- Reading .po files ---------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)] or [""]

    @property
    def translated(self) -> bool:
        return all(self.translations)

    def where(self) -> str:
        return self.references[0] if self.references else f"line {self.line}"

    def label(self) -> str:
        text = self.msgid if self.msgctxt is None else f"[{self.msgctxt}] {self.msgid}"
        text = text.replace("\n", "\\n")
        return text if len(text) <= 90 else text[:87] + "..."


def _unquote(token: str, path: Path, lineno: int) -> str:
    token = token.strip()
    if not (len(token) >= 2 and token[0] == '"' and token[-1] == '"'):
        raise ValueError(f"{path}:{lineno}: expected a quoted string, got {token!r}")
    # PO strings use C escapes, which Python's string literal syntax covers.
    return ast.literal_eval(token)


def parse_po(path: Path) -> list[Entry]:
    """Parse a .po file (no polib needed): header included, obsolete entries flagged."""
    entries: list[Entry] = []
    current: Entry | None = None
    field_name: str | None = None  # which field continuation lines extend
    plural_index = 0
    seen_msgstr = False
    flags: set[str] = set()
    refs: list[str] = []

    def finish() -> None:
        nonlocal current, field_name, seen_msgstr
        if current is not None:
            entries.append(current)
        current, field_name, seen_msgstr = None, None, False

    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.rstrip("\n")
            obsolete = line.startswith("#~")
            if obsolete:
                line = line[2:].lstrip()
                if line.startswith("|"):  # "#~|": the previous msgid of an obsolete fuzzy entry
                    continue
            if not line.strip():
                finish()
                continue
            if line.startswith("#"):
                if seen_msgstr:
                    finish()  # a comment after msgstr opens the next entry
                if line.startswith("#,"):
                    flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
                elif line.startswith("#:"):
                    refs.extend(line[2:].split())
                continue
            keyword, _, rest = line.partition(" ")
            if keyword.startswith('"'):
                if current is None or field_name is None:
                    raise ValueError(f"{path}:{lineno}: continuation line outside an entry")
                text = _unquote(line, path, lineno)
                if field_name == "msgstr_plural":
                    current.msgstr_plural[plural_index] += text
                else:
                    setattr(current, field_name, (getattr(current, field_name) or "") + text)
                continue
            if keyword in ("msgctxt", "msgid") and (current is None or seen_msgstr or field_name == "msgid"):
                finish()
                current = Entry(msgid="", flags=flags, references=refs, obsolete=obsolete, line=lineno)
                flags, refs = set(), []
            if current is None:
                raise ValueError(f"{path}:{lineno}: {keyword} outside an entry")
            value = _unquote(rest, path, lineno)
            if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                setattr(current, keyword, value)
                field_name = keyword
            elif (m := re.fullmatch(r"msgstr\[(\d+)\]", keyword)) is not None:
                plural_index = int(m.group(1))
                current.msgstr_plural[plural_index] = value
                field_name = "msgstr_plural"
            else:
                raise ValueError(f"{path}:{lineno}: unexpected line {raw.rstrip()!r}")
            seen_msgstr = seen_msgstr or keyword.startswith("msgstr")
    finish()
    return entries


def live_entries(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.obsolete and not e.is_header]


# --- Placeholders ---------------------------------------------------------------------

PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)
BRACE_FORMAT = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def placeholders(text: str, flags: set[str]) -> list[str]:
    found: list[str] = []
    if "python-format" in flags:
        for m in PYTHON_FORMAT.finditer(text):
            if m.group("conv") != "%":
                found.append(m.group(0))
    if "python-brace-format" in flags:
        found.extend("{" + name + "}" for name in BRACE_FORMAT.findall(text))
    return sorted(found)


def placeholder_problems(entry: Entry) -> list[str]:
    """Placeholders a translation lost or invented (``%(name)s``, ``%s``, ``{name}``)."""
    problems = []
    sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
    allowed = {p for source in sources for p in placeholders(source, entry.flags)}
    for i, text in enumerate(entry.translations):
        if not text:
            continue
        expected = set(placeholders(sources[min(i, len(sources) - 1)], entry.flags))
        got = set(placeholders(text, entry.flags))
        detail = []
        if missing := sorted(expected - got):
            detail.append("missing " + " ".join(missing))
        if extra := sorted(got - allowed):
            detail.append("unknown " + " ".join(extra))
        if detail:
            prefix = f"msgstr[{i}]: " if entry.msgid_plural is not None else ""
            problems.append(prefix + "; ".join(detail))
    return problems


# --- Scanning the code ----------------------------------------------------------------


def _ignored(rel: Path) -> bool:
    rel_posix = rel.as_posix()
    return any(rel_posix == ig or rel_posix.startswith(ig + "/") for ig in IGNORED)


def copy_sources(dest: Path) -> int:
    """Copy what makemessages would read (plus the settings it needs) into ``dest``."""
    copied = 0
    for dirpath, dirnames, filenames in os.walk(BASE_DIR):
        here = Path(dirpath)
        rel_dir = here.relative_to(BASE_DIR)
        dirnames[:] = [
            d
            for d in dirnames
            if d not in SKIPPED_DIRS and not d.startswith(".") and not _ignored(rel_dir / d) and d != "venv"
        ]
        for name in filenames:
            if Path(name).suffix not in SCANNED_SUFFIXES:
                continue
            target = dest / rel_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(here / name, target)
            copied += 1
    env_file = BASE_DIR / ".env"
    if env_file.exists():
        shutil.copyfile(env_file, dest / ".env")
    return copied


def scan_code() -> list[Entry]:
    """The msgids the code marks today: makemessages on a throw-away copy of the tree."""
    with tempfile.TemporaryDirectory(prefix="sikap-i18n-") as tmp:
        root = Path(tmp)
        copy_sources(root)
        (root / "locale").mkdir()
        cmd = [sys.executable, "manage.py", "makemessages", "-l", TARGET_LANGUAGE, "--keep-pot", "--no-obsolete"]
        cmd += [f"--ignore={ig}" for ig in IGNORED]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py sets it, for the copied settings
        result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"makemessages failed:\n{result.stdout}{result.stderr}")
        pot = root / "locale" / f"{DOMAIN}.pot"
        return live_entries(parse_po(pot)) if pot.exists() else []


# --- Compiled catalogues --------------------------------------------------------------


def expected_mo_catalog(entries: list[Entry]) -> dict:
    """What msgfmt puts in the .mo for these .po entries (translated, non-fuzzy)."""
    catalog: dict = {}
    for e in entries:
        if e.obsolete or e.fuzzy or e.is_header or not e.translated:
            continue
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            catalog[key] = e.msgstr
        else:
            for i, text in enumerate(e.translations):
                catalog[(key, i)] = text
    return catalog


def read_mo_catalog(path: Path) -> dict:
    with path.open("rb") as fh:
        catalog = dict(gettext.GNUTranslations(fh)._catalog)
    catalog.pop("", None)  # the header
    return catalog


def check_mo(po_path: Path, entries: list[Entry]) -> str | None:
    mo_path = po_path.with_suffix(".mo")
    rel = mo_path.relative_to(BASE_DIR)
    if not mo_path.exists():
        return f"{rel} is missing"
    try:
        same = read_mo_catalog(mo_path) == expected_mo_catalog(entries)
    except (OSError, ValueError) as exc:
        return f"{rel} cannot be read ({exc})"
    older = mo_path.stat().st_mtime < po_path.stat().st_mtime
    if same:
        return None
    if older:
        return f"{rel} is older than {po_path.name} and out of date"
    return f"{rel} does not match {po_path.name} (recompile it)"


# --- The check ------------------------------------------------------------------------


def run(scan: bool = True) -> tuple[list[str], list[str]]:
    """Returns (failures, warnings), each a list of printable lines."""
    failures: list[str] = []
    warnings: list[str] = []
    catalogues: dict[str, list[Entry]] = {}
    for lang in LANGUAGES:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.exists():
            failures.append(f"{po.relative_to(BASE_DIR)} is missing (run `make messages`)")
            continue
        try:
            entries = parse_po(po)
        except (ValueError, SyntaxError) as exc:
            failures.append(f"{po.relative_to(BASE_DIR)} cannot be parsed: {exc}")
            continue
        catalogues[lang] = entries
        if (problem := check_mo(po, entries)) is not None:
            failures.append(problem + " — run `.venv/bin/python manage.py compilemessages --ignore=.venv`")

    en = catalogues.get(TARGET_LANGUAGE)
    if en is not None:
        live = live_entries(en)
        header = next((e for e in en if e.is_header), None)
        if header is not None and header.fuzzy:
            failures.append("English catalogue: the header entry is fuzzy")
        empty = [e for e in live if not e.translated and not e.fuzzy]
        fuzzy = [e for e in live if e.fuzzy]
        bad_placeholders = [(e, p) for e in live if e.translated for p in placeholder_problems(e)]
        if empty:
            failures.append(f"{len(empty)} English entr{'y' if len(empty) == 1 else 'ies'} without a translation:")
            failures += [f"    {e.where()}: {e.label()}" for e in empty]
        if fuzzy:
            failures.append(
                f"{len(fuzzy)} fuzzy English entr{'y' if len(fuzzy) == 1 else 'ies'} (check, then drop the flag):"
            )
            failures += [f"    {e.where()}: {e.label()}" for e in fuzzy]
        if bad_placeholders:
            failures.append(f"{len(bad_placeholders)} English translation(s) with wrong placeholders:")
            failures += [f"    {e.where()}: {e.label()} — {p}" for e, p in bad_placeholders]

    if scan:
        code = scan_code()
        for lang, entries in catalogues.items():
            known = {e.key for e in live_entries(entries)}
            missing = [e for e in code if e.key not in known]
            if missing:
                failures.append(
                    f"{len(missing)} string(s) in the code missing from locale/{lang}/LC_MESSAGES/{DOMAIN}.po "
                    "(run `make messages`, then translate):"
                )
                failures += [f"    {e.where()}: {e.label()}" for e in missing]
            in_code = {e.key for e in code}
            stale = [e for e in live_entries(entries) if e.key not in in_code]
            if stale:
                warnings.append(
                    f"{len(stale)} entr{'y' if len(stale) == 1 else 'ies'} in locale/{lang} no longer in the code "
                    "(`make messages` drops them):"
                )
                warnings += [f"    {e.label()}" for e in stale]
    return failures, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-scan", action="store_true", help="skip the makemessages scan of the code")
    args = parser.parse_args(argv)
    try:
        failures, warnings = run(scan=not args.no_scan)
    except RuntimeError as exc:
        print(f"i18n check: {exc}", file=sys.stderr)
        return 2
    for line in warnings:
        print(f"warning: {line}" if not line.startswith("    ") else line, file=sys.stderr)
    if failures:
        print("i18n check FAILED:", file=sys.stderr)
        for line in failures:
            print(line if line.startswith("    ") else f"  - {line}", file=sys.stderr)
        return 1
    en = LOCALE_DIR / TARGET_LANGUAGE / "LC_MESSAGES" / f"{DOMAIN}.po"
    count = len(live_entries(parse_po(en)))
    print(f"i18n check OK: {count} English entries translated, catalogues compiled and up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
