"""What the home pages show (issue 7 items 2 and 3): SKP planning, the supervisor's team and pending
actions, the employee's deadlines, feedback and results, each in a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery

from accounts.models import Pegawai, UnitKerja

from . import rules
from .models import (
    SKP,
    DialogKinerja,
    Evaluasi,
    Keberatan,
    PeriodeEvaluasi,
    PeriodeSKP,
    StatusEvaluasi,
    StatusKeberatan,
    StatusSKP,
)
from .models.evaluasi import Predikat, PredikatOrganisasi
from .selectors_monitoring import BELUM, STATUS_CSS, STATUS_LABELS

PREDIKAT_LABELS = dict(Predikat.choices)
# The same colours as the HR dashboard's badges (reports.selectors.PREDIKAT_CSS).
PREDIKAT_CSS = {
    "SANGAT_BAIK": "success",
    "BAIK": "primary",
    "BUTUH_PERBAIKAN": "warning",
    "KURANG": "danger",
    "SANGAT_KURANG": "dark",
}


def skp_home(*, pegawai_id: int, instansi_id: int) -> dict:
    """The open SKP year, the employee's current SKP in it, and (for a supervisor) the number of
    SKPs awaiting their decision. Three queries."""
    periode = PeriodeSKP.objects.filter(instansi_id=instansi_id).order_by("-tahun").first()
    if periode is None:
        return {"periode": None}
    own = (
        SKP.objects.filter(pegawai_id=pegawai_id, periode=periode, is_current=True)
        .order_by("-mulai")
        .only("pk", "status", "mulai", "selesai")
        .first()
    )
    team = SKP.objects.filter(pejabat_penilai_id=pegawai_id, periode=periode, is_current=True).aggregate(
        menunggu=Count("pk", filter=Q(status=StatusSKP.DIAJUKAN)),
        disetujui=Count("pk", filter=Q(status=StatusSKP.DISETUJUI)),
    )
    return {"periode": periode, "skp": own, "team": team}


# --- The supervisor's home: team status, pending actions, distribution so far ----------------------------


@dataclass
class TeamMember:
    pegawai: Pegawai
    skp_id: int | None
    skp_status: str | None
    evaluasi_id: int | None
    evaluasi_status: str | None
    predikat: str

    @property
    def skp_label(self) -> str:
        return str(STATUS_LABELS[self.skp_status or BELUM])

    @property
    def skp_css(self) -> str:
        return STATUS_CSS[self.skp_status or BELUM]

    @property
    def can_evaluate(self) -> bool:
        return self.skp_status == StatusSKP.DISETUJUI

    @property
    def evaluasi_due(self) -> bool:
        """An approved SKP whose evaluation of the running period is not FINAL yet."""
        return self.can_evaluate and self.evaluasi_status != StatusEvaluasi.FINAL

    @property
    def predikat_label(self) -> str:
        return str(PREDIKAT_LABELS.get(self.predikat, ""))

    @property
    def predikat_css(self) -> str:
        return PREDIKAT_CSS.get(self.predikat, "secondary")


@dataclass
class SupervisorHome:
    periode_evaluasi: PeriodeEvaluasi | None
    team: list[TeamMember]
    skp_menunggu: int
    keberatan_diputus: int  # objections awaiting the user's decision as atasan pejabat penilai
    keberatan_atas_penilaian: int  # open objections against the user's own evaluations
    capaian: str  # the Capaian Kinerja Organisasi governing the user's unit ("" when not set)
    checks: list[rules.DistribusiCheck] = field(default_factory=list)

    @property
    def evaluasi_due(self) -> list[TeamMember]:
        return [m for m in self.team if m.evaluasi_due]

    @property
    def counts(self) -> dict[str, int]:
        """The predikat given so far this period (drafts too, as the distribution rule counts them)."""
        counts = dict.fromkeys(rules.PREDIKAT_ORDER, 0)
        for m in self.team:
            if m.predikat in counts:
                counts[m.predikat] += 1
        return counts

    @property
    def distribution(self) -> list[dict]:
        counts = self.counts
        return [
            {"code": k, "label": PREDIKAT_LABELS[k], "css": PREDIKAT_CSS[k], "n": counts[k]}
            for k in rules.PREDIKAT_ORDER
        ]

    @property
    def dinilai(self) -> int:
        return sum(self.counts.values())

    @property
    def rules_text(self) -> list[dict]:
        from .selectors_evaluasi import rule_text

        return [{"text": rule_text(c), "aktual": c.aktual, "ok": c.ok} for c in self.checks]

    @property
    def capaian_label(self) -> str:
        return str(dict(PredikatOrganisasi.choices).get(self.capaian, ""))

    @property
    def chart(self) -> dict:
        """The doughnut's numbers, in the shape static/js/dashboard-charts.js reads (no bar chart here)."""
        return {
            "doughnut": {
                "labels": [str(d["label"]) for d in self.distribution],
                "css": [d["css"] for d in self.distribution],
                "data": [d["n"] for d in self.distribution],
            }
        }


def _evaluation_periods(periode: PeriodeSKP) -> list[PeriodeEvaluasi]:
    from .selectors_evaluasi import _period_order

    return sorted(PeriodeEvaluasi.objects.filter(periode_skp=periode).select_related("periode_skp"), key=_period_order)


def supervisor_home(
    *,
    pegawai_id: int,
    unit: UnitKerja | None,
    periode: PeriodeSKP | None,
    running: PeriodeEvaluasi | None,
    skp_menunggu: int,
) -> SupervisorHome:
    """Everything the supervisor's home shows beyond the SKP card, in three queries whatever the team
    size: the team with their SKP and evaluation status in ``running`` (the evaluation period under
    way, from ``pegawai_home``; one query with subqueries), the objections, the capaian governing
    the supervisor's unit."""
    if periode is None:
        return SupervisorHome(None, [], 0, 0, 0, "")
    from .services_evaluasi import capaian_for

    current_skp = SKP.objects.filter(pegawai=OuterRef("pk"), periode=periode, is_current=True).order_by(
        "-mulai", "-revisi_ke"
    )
    evaluasi = Evaluasi.objects.filter(skp__pegawai=OuterRef("pk"), periode_evaluasi=running).order_by(
        "-skp__mulai", "-pk"
    )
    team_qs = (
        Pegawai.objects.filter(pejabat_penilai_id=pegawai_id)
        .select_related("jabatan", "unit")
        .annotate(
            skp_id=Subquery(current_skp.values("pk")[:1]),
            skp_status=Subquery(current_skp.values("status")[:1]),
            evaluasi_id=Subquery(evaluasi.values("pk")[:1]),
            evaluasi_status=Subquery(evaluasi.values("status")[:1]),
            evaluasi_predikat=Subquery(evaluasi.values("predikat")[:1]),
        )
        .order_by("nama", "pk")
    )
    team = [
        TeamMember(p, p.skp_id, p.skp_status, p.evaluasi_id, p.evaluasi_status, p.evaluasi_predikat or "")
        for p in team_qs
    ]
    open_ = Q(status__in=(StatusKeberatan.DIAJUKAN, StatusKeberatan.KLARIFIKASI))
    keberatan = Keberatan.objects.filter(open_).aggregate(
        diputus=Count("pk", filter=Q(evaluasi__skp__atasan_pejabat_penilai_id=pegawai_id)),
        penilaian=Count("pk", filter=Q(evaluasi__skp__pejabat_penilai_id=pegawai_id)),
    )
    capaian = capaian_for(unit=unit, periode=running) if unit is not None and running is not None else None
    home = SupervisorHome(
        periode_evaluasi=running,
        team=team,
        skp_menunggu=skp_menunggu,
        keberatan_diputus=keberatan["diputus"],
        keberatan_atas_penilaian=keberatan["penilaian"],
        capaian=capaian.predikat if capaian else "",
    )
    if home.capaian:
        home.checks = rules.distribution_checks(home.capaian, home.counts)
    return home


# --- The employee's home: deadlines, latest feedback, results ---------------------------------------------

FEEDBACK_SHOWN = 3
RESULTS_SHOWN = 6


@dataclass
class PegawaiHome:
    periode_evaluasi: PeriodeEvaluasi | None
    batas_skp: datetime.date | None
    dialog: list[DialogKinerja]
    dialog_belum_diakui: int
    hasil: list[Evaluasi]

    @property
    def hasil_belum_diterima(self) -> list[Evaluasi]:
        return [e for e in self.hasil if e.diterima_pada is None]


def pegawai_home(*, pegawai_id: int, periode: PeriodeSKP | None, today: datetime.date) -> PegawaiHome:
    """The employee's deadlines (SKP, the running evaluation period), their latest feedback (dialog
    kinerja) with how many wait for their acknowledgement, and their latest FINAL evaluation results.
    Four queries: evaluation periods, dialogs, unacknowledged count, results."""
    running = None
    if periode is not None:
        from .selectors_evaluasi import current_periode

        running = current_periode(_evaluation_periods(periode), today)
    dialog = list(
        DialogKinerja.objects.filter(skp__pegawai_id=pegawai_id)
        .select_related("oleh", "rhk", "core_value")
        .order_by("-pada", "-pk")[:FEEDBACK_SHOWN]
    )
    belum = DialogKinerja.objects.filter(skp__pegawai_id=pegawai_id, diakui_pada__isnull=True).count()
    hasil = list(
        Evaluasi.objects.filter(skp__pegawai_id=pegawai_id, status=StatusEvaluasi.FINAL)
        .select_related("periode_evaluasi__periode_skp")
        .order_by("-periode_evaluasi__selesai", "-pk")[:RESULTS_SHOWN]
    )
    for e in hasil:
        e.predikat_css = PREDIKAT_CSS.get(e.predikat, "secondary")
    return PegawaiHome(running, periode.batas_penetapan if periode else None, dialog, belum, hasil)
