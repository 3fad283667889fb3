"""Reads for the evaluation screens (issue 4): the employee's realisation page, the dialog
kinerja, the supervisor's evaluation screen with its distribution panel, the team list and
the Capaian Kinerja Organisasi page. Each returns everything its template shows, with the
joins in one place, so a page's query count does not grow with RHK, IKI or team size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Pegawai, UnitKerja

from .. import rules
from .. import services_evaluasi as ev
from .. import services_objektif as ev_objektif
from ..models import (
    IKI,
    RHK,
    SKP,
    BuktiDukung,
    CapaianOrganisasi,
    CatatanEvaluasi,
    CoreValue,
    DialogKinerja,
    Evaluasi,
    PeriodeEvaluasi,
    PeriodeSKP,
    Predikat,
    PredikatOrganisasi,
    Rating,
    Realisasi,
    StatusSKP,
    SumberRealisasi,
)
from ..selectors import skp_perilaku
from ..selectors_monitoring import ancestor_paths

PREDIKAT_LABELS = dict(Predikat.choices)
RATING_LABELS = dict(Rating.choices)


# --- Periods ------------------------------------------------------------------------------------


def _period_order(p: PeriodeEvaluasi) -> tuple:
    # The periodic ones in calendar order, the annual one last (as on the forms, rules §1.8).
    return (p.is_tahunan, p.mulai, p.ke)


def periods_of(skp: SKP) -> list[PeriodeEvaluasi]:
    """The evaluation periods of the SKP's year that overlap its span. 1 query."""
    periods = PeriodeEvaluasi.objects.filter(
        periode_skp_id=skp.periode_id, mulai__lte=skp.selesai, selesai__gte=skp.mulai
    ).select_related("periode_skp")
    return sorted(periods, key=_period_order)


def periode_of(skp: SKP, pk: int) -> PeriodeEvaluasi:
    """Evaluation period ``pk`` if it belongs to the SKP's year and overlaps its span, else 404."""
    try:
        return PeriodeEvaluasi.objects.select_related("periode_skp").get(
            pk=pk, periode_skp_id=skp.periode_id, mulai__lte=skp.selesai, selesai__gte=skp.mulai
        )
    except PeriodeEvaluasi.DoesNotExist:
        raise Http404 from None


def current_periode(periods: list[PeriodeEvaluasi], today: datetime.date | None = None) -> PeriodeEvaluasi | None:
    """The periodic period running today, else the last one already begun, else the first."""
    today = today or timezone.localdate()
    periodic = [p for p in periods if not p.is_tahunan] or periods
    running = next((p for p in periodic if p.mulai <= today <= p.selesai), None)
    if running is not None:
        return running
    begun = [p for p in periodic if p.mulai <= today]
    return begun[-1] if begun else next(iter(periodic), None)


# --- Hasil kerja with realisations ---------------------------------------------------------------


def capaian_of(iki: IKI, realisasi: Realisasi | None) -> Decimal | None:
    """The computed achievement in % (rules.capaian_iki; advisory, rules §1.6.1), 2 decimals half-up."""
    if realisasi is None or realisasi.nilai is None or iki.target_min is None:
        return None
    value = rules.capaian_iki(
        realisasi=realisasi.nilai,
        target_min=iki.target_min,
        target_max=iki.target_max,
        lower_is_better=iki.arah == "TURUN",
    )
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class IKIRow:
    """One IKI with its realisation in the period, the computed capaian and the evidence.
    ``form`` and ``bukti_form`` are attached by the view where the viewer may write."""

    iki: IKI
    realisasi: Realisasi | None
    capaian: Decimal | None
    bukti: list[BuktiDukung]
    form: Any = None
    bukti_form: Any = None
    message: str = ""
    bukti_message: str = ""
    # Issue 10: where the value came from, in words, and its history (newest first).
    provenance: str = ""
    history: list = field(default_factory=list)

    @property
    def is_sourced(self) -> bool:
        """A value from a file, another system or the survey (or an IKI that takes it from one):
        read-only for the employee."""
        if self.iki.is_sourced:
            return True
        return self.realisasi is not None and self.realisasi.sumber != SumberRealisasi.SENDIRI

    @property
    def has_value(self) -> bool:
        r = self.realisasi
        return r is not None and (r.nilai is not None or bool(r.uraian))

    @property
    def can_be_verified(self) -> bool:
        return self.has_value and not self.is_sourced


@dataclass
class RHKRow:
    rhk: RHK
    iki: list[IKIRow]
    dialog: DialogKinerja | None = None  # the latest dialog kinerja on this RHK
    umpan_balik: str = ""  # the supervisor's feedback in this evaluation
    field: Any = None  # the evaluation form's textarea, attached by the view
    # Issue 10, side by side: the employee's self-rating, the supervisor's own, and their form field.
    self_rating: str = ""
    penilaian: str = ""
    rating_field: Any = None

    @property
    def capaian(self) -> Decimal | None:
        """The mean computed achievement of its IKI (rules.capaian_rata_rata), 2 decimals half-up."""
        value = rules.capaian_rata_rata(i.capaian for i in self.iki)
        return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def capaian_rating(self) -> str:
        return rules.rating_of_capaian(self.capaian) or ""

    @property
    def bukti_count(self) -> int:
        return sum(len(i.bukti) for i in self.iki)

    @property
    def gap(self) -> bool:
        """The self-rating lies LARGE_RATING_GAP levels from the supervisor's or the data's view."""
        return ev_objektif.large_gaps((self.self_rating, self.penilaian), (self.self_rating, self.capaian_rating))

    self_rating_label = property(lambda self: RATING_LABELS.get(self.self_rating, ""))
    penilaian_label = property(lambda self: RATING_LABELS.get(self.penilaian, ""))
    capaian_rating_label = property(lambda self: RATING_LABELS.get(self.capaian_rating, ""))


def _rhk_order(rhk: RHK) -> tuple:
    # A. Utama before B. Tambahan, as on the forms (the choice values sort the other way round).
    return (rhk.jenis != "UTAMA", rhk.urutan, rhk.pk)


def hasil_kerja(*, skp: SKP, periode: PeriodeEvaluasi, iki_pk: int | None = None) -> list[RHKRow]:
    """The RHK (Utama first) with their IKI, each with its realisation for ``periode`` and its
    evidence, where the value came from and its history. Five queries: RHK, IKI, realisations (with
    their import or token), evidence, history. With ``iki_pk`` only that IKI."""
    rhk_qs = RHK.objects.filter(skp=skp)
    iki_qs = IKI.objects.filter(rhk__skp=skp).order_by("urutan", "pk")
    if iki_pk is not None:
        rhk_qs = rhk_qs.filter(iki__pk=iki_pk)
        iki_qs = iki_qs.filter(pk=iki_pk)
    rhk = sorted(rhk_qs, key=_rhk_order)
    ikis = list(iki_qs)
    realisasi = {
        r.iki_id: r
        for r in Realisasi.objects.filter(iki__in=[i.pk for i in ikis], periode_evaluasi=periode).select_related(
            "diverifikasi_oleh", "impor__dibuat_oleh__pegawai", "token"
        )
    }
    history = history_of([r.pk for r in realisasi.values()])
    bukti: dict[int, list[BuktiDukung]] = {}
    for b in BuktiDukung.objects.filter(realisasi__in=[r.pk for r in realisasi.values()]).order_by(
        "diunggah_pada", "pk"
    ):
        bukti.setdefault(b.realisasi_id, []).append(b)
    rows = {r.pk: RHKRow(rhk=r, iki=[]) for r in rhk}
    for iki in ikis:
        r = realisasi.get(iki.pk)
        rows[iki.rhk_id].iki.append(
            IKIRow(
                iki=iki,
                realisasi=r,
                capaian=capaian_of(iki, r),
                bukti=bukti.get(r.pk, []) if r else [],
                provenance=provenance_of(r),
                history=history.get(r.pk, []) if r else [],
            )
        )
    return list(rows.values())


def iki_row(*, skp: SKP, periode: PeriodeEvaluasi, iki: IKI) -> IKIRow:
    """One IKI's row (for the htmx partial after a save)."""
    return hasil_kerja(skp=skp, periode=periode, iki_pk=iki.pk)[0].iki[0]


def _skp_with_people(skp: SKP) -> SKP:
    return SKP.objects.select_related(
        "instansi", "periode", "jabatan__unit", "pegawai__unit", "pejabat_penilai", "atasan_pejabat_penilai"
    ).get(pk=skp.pk)


# --- The employee's realisation page -------------------------------------------------------------


@dataclass
class PeriodTab:
    periode: PeriodeEvaluasi
    evaluasi: Evaluasi | None

    @property
    def final(self) -> Evaluasi | None:
        return self.evaluasi if self.evaluasi is not None and self.evaluasi.is_final else None


def _evaluations_of(skp: SKP) -> dict[int, Evaluasi]:
    return {
        e.periode_evaluasi_id: e for e in Evaluasi.objects.filter(skp=skp).select_related("keberatan", "dinilai_oleh")
    }


@dataclass
class Catatan:
    """The supervisor's feedback and own rating per RHK and per core value, in one evaluation."""

    per_rhk: dict[int, str] = field(default_factory=dict)
    per_value: dict[int, str] = field(default_factory=dict)
    rating_rhk: dict[int, str] = field(default_factory=dict)
    rating_value: dict[int, str] = field(default_factory=dict)


def _feedback(evaluasi: Evaluasi) -> Catatan:
    catatan = Catatan()
    for c in CatatanEvaluasi.objects.filter(evaluasi=evaluasi):
        if c.rhk_id:
            catatan.per_rhk[c.rhk_id], catatan.rating_rhk[c.rhk_id] = c.umpan_balik, c.penilaian
        else:
            catatan.per_value[c.core_value_id], catatan.rating_value[c.core_value_id] = c.umpan_balik, c.penilaian
    return catatan


def realisasi_page(*, skp: SKP, periode: PeriodeEvaluasi) -> dict:
    """The employee's realisation page: the SKP and its people, the period tabs with each
    period's evaluation, the RHK/IKI with realisation, capaian and evidence, this period's final
    result with the supervisor's feedback, and the unacknowledged dialog count.
    About ten queries whatever the number of RHK, IKI and evidence."""
    skp = _skp_with_people(skp)
    evaluations = _evaluations_of(skp)
    tabs = [PeriodTab(p, evaluations.get(p.pk)) for p in periods_of(skp)]
    rows = hasil_kerja(skp=skp, periode=periode)
    evaluasi = evaluations.get(periode.pk)
    result = None
    if evaluasi is not None and evaluasi.is_final:
        catatan = _feedback(evaluasi)
        per_value = catatan.per_value
        for row in rows:
            row.umpan_balik = catatan.per_rhk.get(row.rhk.pk, "")
        result = {
            "evaluasi": evaluasi,
            "perilaku": [
                {"core_value": cv, "umpan_balik": per_value[cv.pk]}
                for cv in CoreValue.objects.order_by("urutan")
                if per_value.get(cv.pk)
            ],
            "keberatan": getattr(evaluasi, "keberatan", None),
            "keberatan_deadline": ev.keberatan_deadline(evaluasi),
            "keberatan_open": ev.keberatan_window_open(evaluasi)
            and not hasattr(evaluasi, "keberatan")
            and skp.atasan_pejabat_penilai_id is not None,
        }
    return {
        "skp": skp,
        "periode": periode,
        "tabs": tabs,
        "rows": rows,
        "evaluasi": evaluasi,
        "result": result,
        "locked": skp.status != StatusSKP.DISETUJUI or (evaluasi is not None and evaluasi.is_final),
        "dialog_unread": DialogKinerja.objects.filter(skp=skp, diakui_pada__isnull=True).count(),
        "penilaian_diri_status": penilaian_diri_status(skp=skp, periode=periode),
    }


# --- Dialog kinerja ----------------------------------------------------------------------------


def dialog_page(*, skp: SKP) -> dict:
    """The history of feedback on the SKP (newest first) with who gave it, and the RHK and core
    values it can be about. Four queries."""
    dialogs = list(DialogKinerja.objects.filter(skp=skp).select_related("rhk", "core_value", "oleh"))
    return {
        "skp": _skp_with_people(skp),
        "dialogs": dialogs,
        "unread": sum(1 for d in dialogs if d.diakui_pada is None),
        "rhk": sorted(RHK.objects.filter(skp=skp), key=_rhk_order),
        "core_values": list(CoreValue.objects.order_by("urutan")),
    }


def _latest_dialogs(skp: SKP) -> tuple[dict[int, DialogKinerja], dict[int, DialogKinerja]]:
    """The latest dialog per RHK and per core value (rules §1.3.1). One query; the SKP's dialog
    history is small (a few dozen rows a year), so picking the first per target in Python is cheaper
    than a window function per row."""
    per_rhk: dict[int, DialogKinerja] = {}
    per_value: dict[int, DialogKinerja] = {}
    for d in DialogKinerja.objects.filter(skp=skp).select_related("oleh").order_by("-pada", "-pk"):
        if d.rhk_id:
            per_rhk.setdefault(d.rhk_id, d)
        if d.core_value_id:
            per_value.setdefault(d.core_value_id, d)
    return per_rhk, per_value


# --- The distribution panel ----------------------------------------------------------------------


def _labels(codes) -> str:
    ordered = [c for c in rules.PREDIKAT_ORDER if c in codes]
    return _(" atau ").join(str(PREDIKAT_LABELS[c]) for c in ordered)


def rule_text(check: rules.DistribusiCheck) -> str:
    """One curve rule in words, e.g. "Sangat Baik paling banyak 10% (1 orang)"."""
    rule = check.rule
    names = _labels(rule.predikat)
    if rule.op == "MAX":
        return _("%(p)s paling banyak %(pct)s%% (%(n)s orang)") % {"p": names, "pct": rule.pct, "n": check.batas}
    if rule.op == "MIN":
        return _("%(p)s paling sedikit %(pct)s%% (%(n)s orang)") % {"p": names, "pct": rule.pct, "n": check.batas}
    if rule.op == "EXISTS":
        return _("%(p)s paling sedikit 1 orang") % {"p": names}
    return _("%(p)s tidak diperbolehkan") % {"p": names}


@dataclass
class DistributionPanel:
    unit: UnitKerja | None  # the employee's unit
    status: ev.DistribusiStatus | None
    candidate: str  # the predikat being considered for this employee
    heads: list[Pegawai] = field(default_factory=list)  # who should set the capaian, when missing
    mode: str = "WARN"

    @property
    def capaian_label(self) -> str:
        return str(dict(PredikatOrganisasi.choices).get(self.status.capaian, "")) if self.status else ""

    @property
    def rules(self) -> list[dict]:
        if self.status is None:
            return []
        return [{"text": rule_text(c), "aktual": c.aktual, "ok": c.ok} for c in self.status.checks]

    @property
    def counts(self) -> list[dict]:
        counts = self.status.counts if self.status else {}
        return [
            {
                "code": code,
                "label": PREDIKAT_LABELS[code],
                "n": counts.get(code, 0),
                "candidate": code == self.candidate,
            }
            for code in rules.PREDIKAT_ORDER
        ]

    @property
    def broken(self) -> bool:
        return self.status is not None and not self.status.ok

    @property
    def blocked(self) -> bool:
        """Finalising would be refused (services.evaluasi_finalize: BLOCK mode, not a small unit)."""
        return self.broken and self.mode == "BLOCK" and not self.status.small_unit

    @property
    def needs_justification(self) -> bool:
        return self.broken and not self.blocked


def distribution_panel(
    *, skp: SKP, periode: PeriodeEvaluasi, candidate: str = "", exclude: int | None = None
) -> DistributionPanel:
    """The unit's Capaian Kinerja Organisasi, its curve in words, the counts with ``candidate``
    in place of evaluation ``exclude``, and who should set the capaian when it is missing.
    ``skp`` must come with pegawai__unit and instansi loaded. Three queries (services), plus
    two when the capaian is missing."""
    unit = skp.pegawai.unit
    if unit is None:
        return DistributionPanel(unit=None, status=None, candidate=candidate)
    status = ev.distribution_status(unit=unit, periode=periode, extra=candidate, exclude=exclude)
    heads = []
    if not status.capaian:
        heads = list(
            Pegawai.objects.filter(pk__in=ev.heads_of(unit)).select_related("jabatan").order_by("-jabatan__unit__path")
        )
    return DistributionPanel(
        unit=unit, status=status, candidate=candidate, heads=heads, mode=skp.instansi.distribusi_mode
    )


# --- The supervisor's evaluation screen ------------------------------------------------------------


def _ikm_of(skp, periode):
    """Citizen satisfaction as objective evidence (issue 5 item 7): the IKM of the employee's
    service unit and, where surveys name them, their own score, for the period (3–4 queries)."""
    from surveys.selectors import ikm_for_pegawai

    return ikm_for_pegawai(skp.pegawai, periode.mulai, periode.selesai)


def evaluasi_page(*, evaluasi: Evaluasi, with_distribution: bool) -> dict:
    """Everything the evaluation screen shows. Constant queries whatever the number of RHK/IKI:
    SKP with people (1); periods (1); RHK, IKI, realisations, evidence (4); feedback in this
    evaluation (1); latest dialogs (1); perilaku with panduan (2); 360° (1, or 3 with answers);
    distribution panel (3, +2 when the capaian is missing); the periodic history for the annual
    period (1); the self-assessment once sent, with its ratings (2); realisation history (1)."""
    skp = _skp_with_people(evaluasi.skp)
    periode = evaluasi.periode_evaluasi
    rows = hasil_kerja(skp=skp, periode=periode)
    catatan = _feedback(evaluasi)
    dialog_rhk, dialog_value = _latest_dialogs(skp)
    diri = self_assessment(skp=skp, periode=periode, sent_only=True)
    for row in rows:
        row.umpan_balik = catatan.per_rhk.get(row.rhk.pk, "")
        row.penilaian = catatan.rating_rhk.get(row.rhk.pk, "")
        row.self_rating = diri.per_rhk.get(row.rhk.pk, "") if diri else ""
        row.dialog = dialog_rhk.get(row.rhk.pk)
    hasil_360 = ev.hasil_360(skp=skp, periode=periode)
    perilaku = [
        perilaku_row(
            p,
            umpan_balik=catatan.per_value.get(p.core_value_id, ""),
            penilaian=catatan.rating_value.get(p.core_value_id, ""),
            self_rating=diri.per_value.get(p.core_value_id, "") if diri else "",
            dialog=dialog_value.get(p.core_value_id),
            hasil_360=hasil_360["per_nilai"].get(p.core_value_id) if hasil_360 else None,
        )
        for p in skp_perilaku(skp=skp)
    ]
    history = []
    if periode.is_tahunan:
        history = periodic_history(pegawai_id=skp.pegawai_id, periode_skp_id=skp.periode_id)
    evaluations = _evaluations_of(skp)
    return {
        "skp": skp,
        "periode": periode,
        "evaluasi": evaluasi,
        "tabs": [PeriodTab(p, evaluations.get(p.pk)) for p in periods_of(skp)],
        "rows": rows,
        "perilaku": perilaku,
        "catatan": catatan,
        "penilaian_diri": diri,
        "gaps": sum(1 for r in rows if r.gap) + sum(1 for p in perilaku if p["gap"]),
        "hasil_360": hasil_360,
        "ikm": _ikm_of(skp, periode),
        "history": history,
        "distribution": distribution_panel(skp=skp, periode=periode, candidate=evaluasi.predikat, exclude=evaluasi.pk)
        if with_distribution and not evaluasi.is_final
        else None,
        "predikat_matrix": {f"{h}|{p}": v for (h, p), v in rules.PREDIKAT_MATRIX.items()},
        "predikat_labels": {k: str(v) for k, v in PREDIKAT_LABELS.items()},
    }


def periodic_history(*, pegawai_id: int, periode_skp_id: int) -> list[dict]:
    """The periodic evaluations of the year for this employee (any SKP of the year, so a mid-year
    move shows both spans), in calendar order, with the periods not evaluated. Two queries."""
    periods = sorted(
        PeriodeEvaluasi.objects.filter(periode_skp_id=periode_skp_id).exclude(jenis="TAHUNAN"), key=_period_order
    )
    evaluations: dict[int, list[Evaluasi]] = {}
    for e in Evaluasi.objects.filter(skp__pegawai_id=pegawai_id, periode_evaluasi__periode_skp_id=periode_skp_id):
        evaluations.setdefault(e.periode_evaluasi_id, []).append(e)
    return [{"periode": p, "evaluasi": evaluations.get(p.pk, [])} for p in periods]


# --- The supervisor's team list ------------------------------------------------------------------


@dataclass
class TeamCell:
    periode: PeriodeEvaluasi
    applies: bool  # the period overlaps the SKP's span
    evaluasi: Evaluasi | None


@dataclass
class TeamRow:
    skp: SKP
    cells: list[TeamCell]


def team_evaluations(*, pegawai_id: int, periode_skp: PeriodeSKP | None) -> dict:
    """The SKPs a pejabat penilai evaluates (approved, current, of the year) × the year's evaluation
    periods, each cell with its evaluation (belum / draf / final + predikat). Three queries
    whatever the team size: periods; SKPs with pegawai and jabatan; their evaluations."""
    if periode_skp is None:
        return {"periode_skp": None, "periods": [], "rows": []}
    periods = sorted(PeriodeEvaluasi.objects.filter(periode_skp=periode_skp), key=_period_order)
    skps = list(
        SKP.objects.filter(
            pejabat_penilai_id=pegawai_id, periode=periode_skp, status=StatusSKP.DISETUJUI, is_current=True
        )
        .select_related("pegawai", "jabatan")
        .order_by("pegawai__nama", "pegawai_id", "mulai")
    )
    evaluations = {
        (e.skp_id, e.periode_evaluasi_id): e
        for e in Evaluasi.objects.filter(skp__in=[s.pk for s in skps]).only(
            "pk", "skp_id", "periode_evaluasi_id", "status", "predikat"
        )
    }
    rows = [
        TeamRow(
            skp=s,
            cells=[
                TeamCell(p, s.mulai <= p.selesai and p.mulai <= s.selesai, evaluations.get((s.pk, p.pk)))
                for p in periods
            ],
        )
        for s in skps
    ]
    return {"periode_skp": periode_skp, "periods": periods, "rows": rows}


# --- Capaian Kinerja Organisasi ----------------------------------------------------------------------


@dataclass
class CapaianRow:
    unit: UnitKerja
    indent: int
    own: CapaianOrganisasi | None
    governing: CapaianOrganisasi | None  # its own, or the nearest unit above that has one
    form: Any = None


def capaian_rows(*, head_unit: UnitKerja, periode: PeriodeEvaluasi, unit_pk: int | None = None) -> list[CapaianRow]:
    """The units a head leads (their unit and every unit below it), each with the capaian it set
    for ``periode`` and the one that governs it (services.capaian_for, computed from one load).
    Two queries."""
    units = UnitKerja.objects.filter(instansi_id=head_unit.instansi_id, path__startswith=head_unit.path)
    if unit_pk is not None:
        units = units.filter(pk=unit_pk)
    units = list(units.order_by("path"))
    capaian = {
        c.unit.path: c
        for c in CapaianOrganisasi.objects.filter(periode_evaluasi=periode)
        .filter(Q(unit__path__startswith=head_unit.path) | Q(unit__path__in=ancestor_paths(head_unit.path)))
        .select_related("unit", "ditetapkan_oleh__pegawai")
    }
    rows = []
    for unit in units:
        governing = next(
            (capaian[p] for p in reversed(ancestor_paths(unit.path)) if p in capaian),
            None,
        )
        rows.append(
            CapaianRow(unit=unit, indent=unit.depth - head_unit.depth, own=capaian.get(unit.path), governing=governing)
        )
    return rows


# Issue 10 (objective evidence): provenance, history, the self-assessment. Imported last: they use
# the helpers above.
from .objektif import (  # noqa: E402, F401
    history_of,
    katalog_for_iki,
    penilaian_diri_page,
    penilaian_diri_status,
    perilaku_row,
    provenance_of,
    self_assessment,
)
