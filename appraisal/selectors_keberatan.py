"""Reads for the objection (keberatan, PP 30/2019 Ps 59, rules §2.4) and 360° feedback screens.

Each function returns everything its template shows, so templates run no queries. The
querysets start from accounts.access, so nothing outside the user's reach is ever listed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts import access
from accounts.models import Pegawai

from . import rules
from . import services_evaluasi as ev
from .models import (
    SKP,
    CoreValue,
    Evaluasi,
    Keberatan,
    PanduanPerilaku,
    PeriodeEvaluasi,
    Predikat,
    Rating,
    StatusKeberatan,
    Undangan360,
)

OPEN_STATUSES = (StatusKeberatan.DIAJUKAN, StatusKeberatan.KLARIFIKASI)
INBOX_PAGE_SIZE = 25


# --- Keberatan ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hasil:
    """One result of an evaluation: the two ratings and the predikat, with their labels."""

    rating_hasil_kerja: str
    rating_perilaku_kerja: str
    predikat: str

    @property
    def rating_hasil_kerja_label(self) -> str:
        return Rating(self.rating_hasil_kerja).label

    @property
    def rating_perilaku_kerja_label(self) -> str:
        return Rating(self.rating_perilaku_kerja).label

    @property
    def predikat_label(self) -> str:
        return Predikat(self.predikat).label


def hasil_of(evaluasi: Evaluasi) -> Hasil:
    return Hasil(evaluasi.rating_hasil_kerja, evaluasi.rating_perilaku_kerja, evaluasi.predikat)


def hasil_asli(keberatan: Keberatan) -> Hasil:
    return Hasil(keberatan.rating_hasil_kerja_asli, keberatan.rating_perilaku_kerja_asli, keberatan.predikat_asli)


def keberatan_create_page(*, evaluasi: Evaluasi, today: datetime.date | None = None) -> dict:
    """The employee's objection page: the result, the deadline, whether the window is open and
    the objection already lodged (if any)."""
    return {
        "evaluasi": evaluasi,
        "hasil": hasil_of(evaluasi),
        "deadline": ev.keberatan_deadline(evaluasi),
        "window_open": ev.keberatan_window_open(evaluasi, today),
        "existing": Keberatan.objects.filter(evaluasi=evaluasi).only("pk", "status").first(),
    }


def _days_since(moment: datetime.datetime, today: datetime.date) -> int:
    return (today - timezone.localtime(moment).date()).days


def _first_change(history: list, test) -> datetime.datetime | None:
    return next((h.history_date for h in history if test(h)), None)


def keberatan_timeline(keberatan: Keberatan) -> list[dict]:
    """The steps of rules §2.4 with when each happened, read from the objection's history (one
    query): the model stores only the submission and decision times."""
    history = list(keberatan.history.order_by("history_date", "history_id"))
    return [
        {"kode": "DIAJUKAN", "pada": keberatan.diajukan_pada},
        {"kode": "KLARIFIKASI", "pada": _first_change(history, lambda h: h.status == StatusKeberatan.KLARIFIKASI)},
        {"kode": "PENILAI", "pada": _first_change(history, lambda h: bool(h.klarifikasi_penilai))},
        {"kode": "PEGAWAI", "pada": _first_change(history, lambda h: bool(h.klarifikasi_pegawai))},
        {"kode": "DIPUTUS", "pada": keberatan.diputus_pada},
    ]


def keberatan_detail(*, keberatan: Keberatan) -> dict:
    """The objection page: the original result, the final one once decided, the timeline."""
    return {
        "keberatan": keberatan,
        "evaluasi": keberatan.evaluasi,
        "skp": keberatan.evaluasi.skp,
        "asli": hasil_asli(keberatan),
        "akhir": hasil_of(keberatan.evaluasi) if keberatan.is_decided else None,
        "timeline": keberatan_timeline(keberatan),
        "hari": _days_since(keberatan.diajukan_pada, timezone.localdate()),
    }


def predikat_labels() -> dict[str, str]:
    """The 3×3 matrix as "HASIL|PERILAKU" → label, for the live preview on the decision form."""
    return {f"{h}|{p}": Predikat(code).label for (h, p), code in rules.PREDIKAT_MATRIX.items()}


def _inbox_rows(qs, today: datetime.date) -> list[Keberatan]:
    rows = list(qs)
    for row in rows:
        row.hari = _days_since(row.diajukan_pada, today)
    return rows


def keberatan_inbox(request, *, status: str = "", page: str | None = None) -> dict:
    """The objection inbox, one section per role the user holds (each one query, so the page
    costs the same for 1 or 100 objections): to decide as atasan pejabat penilai, to clarify as
    pejabat penilai, one's own, and — for the HR admin — the instansi's, filtered by status."""
    roles = access.roles_of(request)
    today = timezone.localdate()
    base = access.keberatan_visible_to(request).select_related(
        "evaluasi__skp__pegawai", "evaluasi__skp__pejabat_penilai", "evaluasi__periode_evaluasi__periode_skp"
    )
    context: dict = {"status": status}
    me = roles.pegawai_id
    if me is not None:
        pending = base.filter(status__in=OPEN_STATUSES).order_by("diajukan_pada", "pk")
        context["to_decide"] = _inbox_rows(pending.filter(evaluasi__skp__atasan_pejabat_penilai_id=me), today)
        context["to_clarify"] = _inbox_rows(pending.filter(evaluasi__skp__pejabat_penilai_id=me), today)
        context["mine"] = _inbox_rows(base.filter(evaluasi__skp__pegawai_id=me).order_by("-diajukan_pada"), today)
    if roles.admin_instansi is not None:
        qs = base.filter(evaluasi__instansi=roles.admin_instansi).order_by("-diajukan_pada", "-pk")
        if status:
            qs = qs.filter(status=status)
        instansi_page = Paginator(qs, INBOX_PAGE_SIZE).get_page(page)
        instansi_page.object_list = _inbox_rows(instansi_page.object_list, today)
        context["instansi_page"] = instansi_page
    return context


# --- 360° --------------------------------------------------------------------------------------------


def undangan_360_candidates(*, skp: SKP) -> list[Pegawai]:
    """Whom a 360° may ask (issue 4 item 6): active colleagues with a login in the employee's
    unit subtree, and the employee's subordinates; never the employee, nor the two superiors,
    who judge the employee directly."""
    pegawai = Pegawai.objects.select_related("unit").get(pk=skp.pegawai_id)
    scope = Q(pejabat_penilai_id=skp.pegawai_id)
    if pegawai.unit is not None:
        scope |= Q(unit__path__startswith=pegawai.unit.path)
    excluded = [pk for pk in (skp.pegawai_id, skp.pejabat_penilai_id, skp.atasan_pejabat_penilai_id) if pk]
    return list(
        Pegawai.objects.filter(scope, instansi_id=skp.instansi_id, status="AKTIF", user__isnull=False)
        .exclude(pk__in=excluded)
        .select_related("jabatan", "unit")
        .order_by("nama", "pk")
    )


def undangan_360_page(*, skp: SKP, periode: PeriodeEvaluasi, candidates: list[Pegawai]) -> dict:
    """The invitation screen: one row per person who may be (or was) invited, with the state of
    their invitation — whether they have answered, never what."""
    invitations = {
        u.penilai_id: u
        for u in Undangan360.objects.filter(skp=skp, periode_evaluasi=periode).select_related(
            "penilai__jabatan", "penilai__unit"
        )
    }
    people = {p.pk: p for p in candidates}
    for pk, undangan in invitations.items():
        people.setdefault(pk, undangan.penilai)  # invited earlier, since moved out of the list
    rows = [{"pegawai": p, "undangan": invitations.get(p.pk)} for p in sorted(people.values(), key=_by_name)]
    return {
        "rows": rows,
        "invited": len(invitations),
        "answered": sum(u.selesai for u in invitations.values()),
        "pending_approval": sum(not u.disetujui for u in invitations.values()),
        "minimum": ev.MIN_360_RATERS,
    }


def _by_name(pegawai: Pegawai) -> tuple:
    return (pegawai.nama.casefold(), pegawai.pk)


def core_values_with_panduan() -> list[CoreValue]:
    """The seven BerAKHLAK values with their three panduan perilaku each (two queries)."""
    return list(
        CoreValue.objects.order_by("urutan").prefetch_related(
            Prefetch("panduan", queryset=PanduanPerilaku.objects.order_by("huruf"))
        )
    )


def tugas_360(*, pegawai_id: int | None) -> dict:
    """The user's approved 360° requests: those still to answer, and those answered."""
    if pegawai_id is None:
        return {"pending": [], "done": []}
    rows = list(
        Undangan360.objects.filter(penilai_id=pegawai_id, disetujui=True)
        .select_related("skp__pegawai__jabatan", "periode_evaluasi__periode_skp")
        .order_by("-periode_evaluasi__mulai", "skp__pegawai__nama", "pk")
    )
    return {"pending": [u for u in rows if not u.selesai], "done": [u for u in rows if u.selesai]}


def _round(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hasil_360_summary(*, skp: SKP, periode: PeriodeEvaluasi) -> dict:
    """The ``hasil`` that ``appraisal/survei360/_hasil.html`` takes: per value the average
    (rounded half-up to 2 places), the count and the comments (alphabetical, so their order says
    nothing about who wrote them) — only once at least three raters answered. Four queries."""
    raw = ev.hasil_360(skp=skp, periode=periode)
    if raw is None:
        answered = Undangan360.objects.filter(skp=skp, periode_evaluasi=periode, selesai=True).count()
        return {"tampil": False, "responden": answered, "minimum": ev.MIN_360_RATERS, "per_nilai": []}
    hasil = {"tampil": True, "responden": raw["responden"], "minimum": ev.MIN_360_RATERS, "per_nilai": []}
    per_nilai = raw["per_nilai"]
    for value in CoreValue.objects.order_by("urutan"):
        row = per_nilai.get(value.pk)
        if row is not None:
            rata_rata = _round(row["rata_rata"])
            hasil["per_nilai"].append(
                {
                    "nilai": value.nama,
                    "rata_rata": rata_rata,
                    "persen": int(rata_rata / 3 * 100),
                    "jumlah": row["jumlah"],
                    "komentar": row["komentar"],
                }
            )
    return hasil
