"""Writes for the SKM (PermenPANRB 14/2017, rules §6): service units, the citizen's submission
with its abuse checks, moderation of flagged submissions, and single-use tokens.

Suspicious submissions are never dropped: they are saved with status DITANDAI and the reasons in
``tanda``, and only DITERIMA responses count in the index. The citizen always sees the same
thank-you page, so a bot learns nothing from the answer."""

from __future__ import annotations

import datetime
import operator
import secrets
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, Value
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Instansi, UnitKerja, User

from . import channels, rules
from .models import (
    JawabanUnsur,
    JenisSaluran,
    Pekerjaan,
    PertanyaanUnsur,
    Respons,
    SaluranSurvei,
    StatusRespons,
    TokenSurvei,
    UnitLayanan,
    short_code,
)

# --- Service units --------------------------------------------------------------------------------


def pertanyaan_standard(unit_layanan: UnitLayanan) -> list[PertanyaanUnsur]:
    """The nine questions with the standard wording of rules §6.3 (unsaved)."""
    return [
        PertanyaanUnsur(
            unit_layanan=unit_layanan,
            unsur=u.kode,
            teks=u.pertanyaan,
            label_1=u.label[0],
            label_2=u.label[1],
            label_3=u.label[2],
            label_4=u.label[3],
        )
        for u in rules.UNSUR
    ]


@transaction.atomic
def unit_layanan_create(*, unit: UnitKerja, nama_publik: str, by: User | None) -> UnitLayanan:
    """Make ``unit`` a service unit that runs the SKM (rules §6.1).

    Writes the UnitLayanan, its nine PertanyaanUnsur with the standard wording (with history, by
    ``by``) and one UNIT SaluranSurvei, whose code is the public link /s/<kode>/ of the QR poster.
    Who may do this is decided by the caller (accounts.access)."""
    nama_publik = (nama_publik or "").strip()
    if not nama_publik:
        raise ValidationError({"nama_publik": _("Isi nama unit layanan yang ditampilkan kepada publik.")})
    if UnitLayanan.objects.filter(unit=unit).exists():
        raise ValidationError({"unit": _("Unit kerja ini sudah menjadi unit layanan.")})
    layanan = UnitLayanan.objects.create(instansi_id=unit.instansi_id, unit=unit, nama_publik=nama_publik)
    bulk_create_with_history(pertanyaan_standard(layanan), PertanyaanUnsur, default_user=by)
    SaluranSurvei.objects.create(unit_layanan=layanan, jenis=JenisSaluran.UNIT, label=nama_publik)
    return layanan


# --- Tokens ---------------------------------------------------------------------------------------

TOKEN_MAX_PER_BATCH = 1000


def token_issue(*, unit_layanan: UnitLayanan, count: int, valid_hours: int) -> list[TokenSurvei]:
    """Write ``count`` single-use tokens for receipts or queue tickets, valid ``valid_hours`` from now.

    The codes are random (short_code); the rare collision with an existing code is drawn again."""
    if not 1 <= count <= TOKEN_MAX_PER_BATCH:
        raise ValidationError({"count": _("Jumlah token 1 sampai %(max)d.") % {"max": TOKEN_MAX_PER_BATCH}})
    if valid_hours < 1:
        raise ValidationError({"valid_hours": _("Masa berlaku token paling sedikit 1 jam.")})
    codes: set[str] = set()
    while len(codes) < count:
        codes |= {short_code() for _ in range(count - len(codes))}
        codes -= set(TokenSurvei.objects.filter(kode__in=codes).values_list("kode", flat=True))
    until = timezone.now() + datetime.timedelta(hours=valid_hours)
    return TokenSurvei.objects.bulk_create(
        [TokenSurvei(unit_layanan=unit_layanan, kode=kode, berlaku_sampai=until) for kode in sorted(codes)]
    )


TOKEN_TIDAK_DIKENAL = gettext_lazy("Token tidak dikenal. Periksa kembali kode pada struk atau karcis Anda.")
TOKEN_DIPAKAI = gettext_lazy("Token sudah dipakai. Setiap token hanya berlaku untuk satu kali pengisian.")
TOKEN_KEDALUWARSA = gettext_lazy("Token sudah kedaluwarsa.")


def normalize_token(kode: str | None) -> str:
    return (kode or "").strip().lower()


def token_problem(*, unit_layanan: UnitLayanan, kode: str, now: datetime.datetime | None = None) -> str | None:
    """Why ``kode`` cannot be used for ``unit_layanan`` now (a message), or None if it can.

    A read, for telling the citizen early; the claim in respons_submit is what counts."""
    token = TokenSurvei.objects.filter(unit_layanan=unit_layanan, kode=normalize_token(kode)).first()
    if token is None:
        return str(TOKEN_TIDAK_DIKENAL)
    if token.dipakai_pada is not None:
        return str(TOKEN_DIPAKAI)
    if token.berlaku_sampai <= (now or timezone.now()):
        return str(TOKEN_KEDALUWARSA)
    return None


def _token_claim(*, unit_layanan: UnitLayanan, kode: str, now: datetime.datetime) -> int:
    """Claim a token atomically: one conditional UPDATE … WHERE dipakai_pada IS NULL, so of two
    concurrent claims exactly one changes the row. Returns the token id; ValidationError if none."""
    kode = normalize_token(kode)
    claimed = TokenSurvei.objects.filter(
        unit_layanan=unit_layanan, kode=kode, dipakai_pada__isnull=True, berlaku_sampai__gt=now
    ).update(dipakai_pada=now)
    if claimed != 1:
        raise ValidationError({"t": token_problem(unit_layanan=unit_layanan, kode=kode, now=now)}, code="token")
    return TokenSurvei.objects.only("pk").get(unit_layanan=unit_layanan, kode=kode).pk


# --- The citizen's submission --------------------------------------------------------------------

# Why a response was flagged (stored in Respons.tanda, comma-separated). The stored values are
# fixed codes; the moderation screen shows the translated explanation.
TANDA_HONEYPOT = "honeypot"
TANDA_TERLALU_CEPAT = "terlalu cepat"
TANDA_STEMPEL = "stempel waktu tidak valid"
TANDA_BERULANG = "berulang"
TANDA_BATAS_LAJU = "batas laju"
TANDA_LABELS = {
    TANDA_HONEYPOT: gettext_lazy("Kolom tersembunyi terisi (ciri bot)"),
    TANDA_TERLALU_CEPAT: gettext_lazy("Diisi terlalu cepat"),
    TANDA_STEMPEL: gettext_lazy("Stempel waktu formulir hilang atau dipalsukan"),
    TANDA_BERULANG: gettext_lazy("Perangkat yang sama sudah mengisi untuk unit ini hari ini"),
    TANDA_BATAS_LAJU: gettext_lazy("Terlalu banyak kiriman dari alamat yang sama dalam satu jam"),
}
TANDA_SEPARATOR = ", "

MIN_FILL_SECONDS = 8  # settings.SURVEY_MIN_FILL_SECONDS overrides (tests, a kiosk with a short form)
RATE_LIMIT_PER_HOUR = 20  # settings.SURVEY_RATE_LIMIT_PER_HOUR overrides
# The repeat block follows the calendar day where the survey is filled. Asia/Jakarta unless the
# deployment says otherwise (an instansi in WITA or WIT would set its own zone).
SURVEY_DAY_ZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class SubmissionMeta:
    """What the request tells about how the form was filled. The address and the device id are
    stored only as salted hashes (``fingerprint``)."""

    alamat: str  # client address
    perangkat: str  # the long-lived random device cookie
    lama_isi_detik: int | None  # seconds since the form was served; None: stamp missing or forged
    honeypot: bool = False  # the hidden field no person sees was filled


def fingerprint(kind: str, value: str) -> str:
    """A salted SHA-256 (HMAC keyed by SECRET_KEY) of an address or device id; "" for nothing."""
    if not value:
        return ""
    return salted_hmac(f"sikap.surveys.{kind}", value, algorithm="sha256").hexdigest()


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _day_start(now: datetime.datetime) -> datetime.datetime:
    zone = ZoneInfo(getattr(settings, "SURVEY_DAY_ZONE", SURVEY_DAY_ZONE))
    return now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)


def _flags(*, unit_layanan: UnitLayanan, meta: SubmissionMeta, alamat: str, perangkat: str, now) -> list[str]:
    """The abuse rules, in the order a moderator reads them. Runs inside the serialized section so
    that concurrent submissions see each other."""
    flags = []
    if meta.honeypot:
        flags.append(TANDA_HONEYPOT)
    if meta.lama_isi_detik is None:
        flags.append(TANDA_STEMPEL)
    elif meta.lama_isi_detik < _setting("SURVEY_MIN_FILL_SECONDS", MIN_FILL_SECONDS):
        flags.append(TANDA_TERLALU_CEPAT)
    # Both rules in one query: the device's submissions today, the address's in the last hour.
    same_device = Q(perangkat=perangkat, diisi_pada__gte=_day_start(now)) if perangkat else None
    same_address = Q(alamat=alamat, diisi_pada__gte=now - datetime.timedelta(hours=1)) if alamat else None
    wanted = [q for q in (same_device, same_address) if q is not None]
    if not wanted:
        return flags
    counts = Respons.objects.filter(reduce(operator.or_, wanted), unit_layanan=unit_layanan).aggregate(
        today=Count("pk", filter=same_device) if same_device else Value(0),
        last_hour=Count("pk", filter=same_address) if same_address else Value(0),
    )
    if counts["today"]:
        flags.append(TANDA_BERULANG)
    if counts["last_hour"] >= _setting("SURVEY_RATE_LIMIT_PER_HOUR", RATE_LIMIT_PER_HOUR):
        flags.append(TANDA_BATAS_LAJU)
    return flags


# SQLite has no row locks, and two threads that each read and then write would fail with
# "database is locked" (or, with live_server's shared in-memory connection, interleave their
# transactions). SQLite serves one process (development, tests), so a process-wide lock is enough.
_SQLITE_LOCK = threading.Lock()


@contextmanager
def _serialized_per_unit(unit_layanan_id: int) -> Iterator[None]:
    """A transaction in which submissions to one unit run one at a time, so the repeat and rate
    checks count every earlier submission. On PostgreSQL: a row lock on the UnitLayanan (a unit
    receives at most a few submissions a minute, so the wait is short)."""
    if connection.vendor == "sqlite":
        with _SQLITE_LOCK, transaction.atomic():
            yield
    else:
        with transaction.atomic():
            list(UnitLayanan.objects.select_for_update().filter(pk=unit_layanan_id).values_list("pk"))
            yield


def _check_answers(unit_layanan: UnitLayanan, data: Mapping[str, Any]) -> dict[str, int]:
    """The form checked all this; checked again because a service trusts no caller."""
    jawaban = dict(data.get("jawaban") or {})
    if set(jawaban) != set(rules.UNSUR_KODE) or any(v not in (1, 2, 3, 4) for v in jawaban.values()):
        raise ValidationError(_("Setiap unsur harus dijawab dengan nilai 1 sampai 4."))
    jenis = data.get("jenis_layanan")
    if jenis is not None and (jenis.unit_layanan_id != unit_layanan.pk or not jenis.aktif):
        raise ValidationError({"jenis_layanan": _("Jenis layanan tidak dikenal.")})
    return jawaban


def respons_submit(*, saluran: SaluranSurvei, data: Mapping[str, Any], meta: SubmissionMeta) -> Respons:
    """Save one citizen's questionnaire (rules §6.4) in one transaction: the Respons and its nine
    JawabanUnsur, the claimed token when one is given, flagged (DITANDAI, reasons in ``tanda``)
    when an abuse rule matches, never dropped.

    ``data``: jawaban {unsur kode: 1–4}, jenis_layanan (JenisLayanan or None), jenis_kelamin, usia,
    pendidikan, pekerjaan, pekerjaan_lain, saran, t (token code or ""). A used, expired or unknown
    token raises ValidationError on ``t`` and nothing is written."""
    unit_layanan = saluran.unit_layanan
    jawaban = _check_answers(unit_layanan, data)
    alamat = fingerprint("alamat", meta.alamat)
    perangkat = fingerprint("perangkat", meta.perangkat)
    pekerjaan = data["pekerjaan"]
    periode_id = channels.periode_on(unit_layanan.pk, timezone.localdate())
    with _serialized_per_unit(unit_layanan.pk):
        now = timezone.now()
        token_id = _token_claim(unit_layanan=unit_layanan, kode=data["t"], now=now) if data.get("t") else None
        flags = _flags(unit_layanan=unit_layanan, meta=meta, alamat=alamat, perangkat=perangkat, now=now)
        respons = Respons.objects.create(
            unit_layanan=unit_layanan,
            periode_id=periode_id,
            saluran=saluran,
            petugas_id=saluran.petugas_id,
            jenis_layanan=data.get("jenis_layanan"),
            jenis_kelamin=data["jenis_kelamin"],
            usia=data["usia"],
            pendidikan=data["pendidikan"],
            pekerjaan=pekerjaan,
            pekerjaan_lain=(data.get("pekerjaan_lain") or "").strip() if pekerjaan == Pekerjaan.LAINNYA else "",
            saran=(data.get("saran") or "").strip(),
            status=StatusRespons.DITANDAI if flags else StatusRespons.DITERIMA,
            tanda=TANDA_SEPARATOR.join(flags),
            alamat=alamat,
            perangkat=perangkat,
            lama_isi_detik=meta.lama_isi_detik,
        )
        JawabanUnsur.objects.bulk_create(
            [JawabanUnsur(respons=respons, unsur=kode, nilai=jawaban[kode]) for kode in rules.UNSUR_KODE]
        )
        if token_id is not None:
            TokenSurvei.objects.filter(pk=token_id).update(respons=respons)
    return respons


def new_device_id() -> str:
    """The value of a new device cookie: random, meaningless, stored only hashed."""
    return secrets.token_urlsafe(18)


# --- Moderation -----------------------------------------------------------------------------------


def _may_moderate(by: User, instansi: Instansi) -> bool:
    return by.is_superuser or (by.is_admin_kepegawaian and by.instansi_id == instansi.pk)


def respons_moderate(*, respons_ids: Iterable[int], accept: bool, by: User, instansi: Instansi) -> int:
    """Accept (→ DITERIMA, counted from now on) or reject (→ DITOLAK) flagged responses of
    ``instansi``, recording ``dimoderasi_oleh`` and a history row per response (simple-history).

    Only DITANDAI responses change; one already moderated (by a colleague a moment ago) is left
    as it is. Returns how many changed. An id outside ``instansi`` is refused as a whole."""
    if not _may_moderate(by, instansi):
        raise PermissionDenied
    ids = set(respons_ids)
    with transaction.atomic():
        rows = list(Respons.objects.select_for_update().filter(pk__in=ids).select_related("unit_layanan"))
        if len(rows) != len(ids) or any(r.unit_layanan.instansi_id != instansi.pk for r in rows):
            raise PermissionDenied
        changed = [r for r in rows if r.status == StatusRespons.DITANDAI]
        for respons in changed:
            respons.status = StatusRespons.DITERIMA if accept else StatusRespons.DITOLAK
            respons.dimoderasi_oleh = by
        bulk_update_with_history(
            changed,
            Respons,
            ["status", "dimoderasi_oleh"],
            default_user=by,
            default_change_reason="moderasi: diterima" if accept else "moderasi: ditolak",
        )
    return len(changed)
