"""Reads for the appraisal screens. Each returns everything its template shows, with the
joins in one place, so a page's query count does not grow with the data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from accounts.models import Pegawai

from . import rules, services
from .models import (
    RHK,
    SKP,
    CatatanSKP,
    JenisLampiran,
    JenisRHK,
    LampiranSKP,
    PanduanPerilaku,
    PeriodeSKP,
    SKPPerilaku,
    StatusSKP,
)

# --- SKP planning: SKP saya, the SKP detail/editor, the inbox, the matriks peran hasil ------------


def open_periode(*, instansi_id: int) -> PeriodeSKP | None:
    """The SKP year an employee plans for now: the instansi's latest opened year."""
    return PeriodeSKP.objects.filter(instansi_id=instansi_id).order_by("-tahun").first()


@dataclass
class YearOfSKP:
    periode: PeriodeSKP
    skps: list[SKP] = field(default_factory=list)

    @property
    def running(self) -> SKP | None:
        """The SKP in force to the end of the year (None when only closed spans exist)."""
        return next((s for s in self.skps if s.is_current and s.selesai >= self.periode.selesai), None)


def my_skp(*, pegawai: Pegawai) -> dict:
    """An employee's SKPs grouped per year (newest first); in each year the current
    revisions come first, then earlier revisions. Two queries."""
    skps = (
        SKP.objects.filter(pegawai=pegawai)
        .select_related("periode", "jabatan", "pejabat_penilai")
        .order_by("-periode__tahun", "-is_current", "-mulai", "-revisi_ke")
    )
    years: dict[int, YearOfSKP] = {}
    for skp in skps:
        skp.is_closed_span = skp.selesai < skp.periode.selesai
        years.setdefault(skp.periode_id, YearOfSKP(periode=skp.periode)).skps.append(skp)
    periode = open_periode(instansi_id=pegawai.instansi_id)
    open_year = years.get(periode.pk) if periode else None
    return {
        "years": list(years.values()),
        "open_periode": periode,
        "can_start": periode is not None and (open_year is None or open_year.running is None),
    }


def _identity(snapshot: dict, key: str, pegawai: Pegawai | None, jabatan=None, unit=None) -> dict:
    """An identity block (rules §1.4.2), in the shape of services.identity_snapshot: the one
    frozen at approval when there is one, otherwise today's data from the loaded rows."""
    if snapshot.get(key):
        return snapshot[key]
    if pegawai is None:
        return {}
    return {
        "nama": pegawai.nama_lengkap,
        "nip": pegawai.nip_display,
        "pangkat": pegawai.pangkat_golongan,
        "jabatan": jabatan.nama if jabatan else "",
        "unit": unit.nama if unit else "",
    }


def skp_hasil_kerja(*, skp: SKP, editing: bool) -> dict:
    """The RHK of ``skp`` (A. Utama, B. Tambahan) each with its IKI, and, for the owner
    while editing, the supervisor's RHK that a Utama RHK may intervene and what still
    stops the SKP from being submitted. 2 queries, plus 2 when ``editing``."""
    rhk = list(
        RHK.objects.filter(skp=skp)
        .select_related("rhk_atasan")
        .prefetch_related("iki")
        .order_by("jenis", "urutan", "pk")
    )
    context = {
        "utama": [r for r in rhk if r.jenis == JenisRHK.UTAMA],
        "tambahan": [r for r in rhk if r.jenis == JenisRHK.TAMBAHAN],
        "parent_choices": [],
        "problems": [],
    }
    if editing:
        choices = list(services.supervisor_rhk_choices(skp=skp))
        allowed = {r.pk for r in choices}
        context["parent_choices"] = choices
        # The same law skp_submit applies (services.submission_problems_for), computed from
        # the rows already loaded so the checklist costs no query per RHK.
        context["problems"] = rules.submission_problems(
            jenis_skp=skp.jenis,
            is_top_of_chain=skp.pejabat_penilai_id is None,
            rhk=[
                rules.RHKFacts(
                    uraian=r.uraian,
                    jenis=r.jenis,
                    has_parent=r.rhk_atasan_id is not None,
                    parent_is_from_supervisor=r.rhk_atasan_id in allowed,
                    perspektif=r.perspektif,
                    jumlah_iki=len(r.iki.all()),
                )
                for r in rhk
            ],
        )
    return context


def skp_perilaku(*, skp: SKP) -> list[SKPPerilaku]:
    """The seven BerAKHLAK rows with their panduan perilaku. 2 queries."""
    return list(
        SKPPerilaku.objects.filter(skp=skp)
        .select_related("core_value")
        .prefetch_related(
            Prefetch("core_value__panduan", queryset=PanduanPerilaku.objects.order_by("huruf"), to_attr="panduan_list")
        )
        .order_by("core_value__urutan")
    )


def skp_lampiran(*, skp: SKP) -> list[dict]:
    """The three lampiran lists (rules §1.4.6), always all three, in the regulation's order. 1 query."""
    items = list(LampiranSKP.objects.filter(skp=skp).order_by("urutan", "pk"))
    return [
        {"jenis": jenis, "label": label, "items": [x for x in items if x.jenis == jenis]}
        for jenis, label in JenisLampiran.choices
    ]


def skp_detail(*, skp: SKP, editing: bool = False) -> dict:
    """Everything the SKP page shows (constant number of queries: about nine, plus two when
    ``editing``, plus one for an earlier revision):
    the SKP with its year, instansi, post and people; the RHK with their IKI; the perilaku
    with core values and panduan; the lampiran; the workflow history with who did each step."""
    skp = SKP.objects.select_related(
        "instansi",
        "periode",
        "jabatan__unit",
        "pegawai",
        "pejabat_penilai__jabatan",
        "pejabat_penilai__unit",
        "atasan_pejabat_penilai",
        "revisi_dari",
    ).get(pk=skp.pk)
    catatan = list(CatatanSKP.objects.filter(skp=skp).select_related("oleh__pegawai").order_by("pada", "pk"))
    returned = [c for c in catatan if c.ke_status == StatusSKP.REVISI]
    newer = None
    if not skp.is_current:
        newer = (
            SKP.objects.filter(pegawai_id=skp.pegawai_id, periode_id=skp.periode_id, mulai=skp.mulai, is_current=True)
            .only("pk", "revisi_ke", "status")
            .first()
        )
    return {
        "skp": skp,
        # The employee's block names the post this SKP is for, which a move may have changed since.
        "pegawai_block": _identity(skp.snapshot, "pegawai", skp.pegawai, skp.jabatan, skp.jabatan.unit),
        "penilai_block": _identity(
            skp.snapshot,
            "pejabat_penilai",
            skp.pejabat_penilai,
            skp.pejabat_penilai and skp.pejabat_penilai.jabatan,
            skp.pejabat_penilai and skp.pejabat_penilai.unit,
        ),
        "catatan": catatan,
        "return_note": returned[-1] if returned and skp.status == StatusSKP.REVISI else None,
        "newer_revision": newer,
        "perilaku": skp_perilaku(skp=skp),
        "lampiran": skp_lampiran(skp=skp),
        **skp_hasil_kerja(skp=skp, editing=editing),
    }


@dataclass
class TeamMember:
    pegawai: Pegawai
    skps: list[SKP] = field(default_factory=list)


TEAM_STATUSES = (StatusSKP.DRAFT, StatusSKP.DIAJUKAN, StatusSKP.REVISI, StatusSKP.DISETUJUI)


def inbox(*, pegawai: Pegawai) -> dict:
    """A pejabat penilai's work: the SKPs awaiting their decision, and their direct
    subordinates with their current SKPs of the open year and a count per status
    ("belum" = no SKP yet). Four queries whatever the team's size:
    the open year; the awaiting SKPs; the subordinates; their SKPs of the open year."""
    periode = open_periode(instansi_id=pegawai.instansi_id)
    awaiting = list(
        SKP.objects.filter(pejabat_penilai=pegawai, status=StatusSKP.DIAJUKAN, is_current=True)
        .select_related("pegawai", "jabatan", "periode")
        .order_by("diajukan_pada", "pk")
    )
    team = {
        p.pk: TeamMember(pegawai=p)
        for p in Pegawai.objects.filter(pejabat_penilai=pegawai).select_related("jabatan").order_by("nama", "pk")
    }
    if periode is not None and team:
        for skp in SKP.objects.filter(periode=periode, pegawai_id__in=team, is_current=True).order_by("mulai"):
            team[skp.pegawai_id].skps.append(skp)
    counts = dict.fromkeys(TEAM_STATUSES, 0)
    for member in team.values():
        for skp in member.skps:
            counts[skp.status] += 1
    return {
        "periode": periode,
        "awaiting": awaiting,
        "team": list(team.values()),
        "counts": [{"status": status, "label": status.label, "n": counts[status]} for status in TEAM_STATUSES],
        "belum": sum(1 for m in team.values() if not m.skps) if periode else 0,
    }


def distribution_choices(*, skp: SKP, pegawai_id: int) -> dict:
    """For the matriks peran hasil: the RHK of the supervisor's SKP, and their direct
    subordinates with their current SKP of the same year (to show which are locked). Three queries."""
    subordinates = list(
        Pegawai.objects.filter(pejabat_penilai_id=pegawai_id).select_related("jabatan").order_by("nama", "pk")
    )
    current = {
        s.pegawai_id: s
        for s in SKP.objects.filter(periode_id=skp.periode_id, pegawai__in=subordinates, is_current=True).order_by(
            "mulai"
        )
    }
    for p in subordinates:
        p.skp_tahun_ini = current.get(p.pk)
    return {
        "rhk": list(RHK.objects.filter(skp=skp).order_by("jenis", "urutan", "pk")),
        "subordinates": subordinates,
    }
