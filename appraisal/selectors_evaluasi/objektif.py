"""Reads for objective evidence on the evaluation screens (issue 10): where each realisation came
from and its history, and the employee's self-assessment set beside the supervisor's view."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import services_objektif as ev_objektif
from ..models import (
    SKP,
    CoreValue,
    PenilaianDiri,
    PeriodeEvaluasi,
    Realisasi,
    StatusPenilaianDiri,
    StatusSKP,
    SumberRealisasi,
)
from . import RATING_LABELS, PeriodTab, _evaluations_of, _skp_with_people, hasil_kerja, periods_of

SUMBER_LABELS = dict(SumberRealisasi.choices)


def user_label(user) -> str:
    """A person's name as shown beside what they did: the pegawai's full name, else the login's."""
    if user is None:
        return ""
    pegawai = getattr(user, "pegawai", None)
    if pegawai is not None:
        return pegawai.nama_lengkap
    return user.get_full_name() or user.username


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i") if moment else ""


def provenance_of(realisasi: Realisasi | None) -> str:
    """Where a realisation came from, in one sentence. Needs ``impor__dibuat_oleh__pegawai`` and
    ``token`` loaded (selectors_evaluasi.hasil_kerja does)."""
    if realisasi is None:
        return ""
    sumber = realisasi.sumber
    if sumber == SumberRealisasi.BERKAS and realisasi.impor_id:
        impor = realisasi.impor
        return _("Diimpor dari berkas %(berkas)s oleh %(oleh)s pada %(pada)s") % {
            "berkas": impor.nama_berkas,
            "oleh": user_label(impor.dibuat_oleh),
            "pada": _when(impor.diterapkan_pada or impor.dibuat_pada),
        }
    if sumber == SumberRealisasi.API and realisasi.token_id:
        return _("Dikirim sistem %(sistem)s pada %(pada)s") % {
            "sistem": realisasi.token.nama_sistem,
            "pada": _when(realisasi.diubah_pada),
        }
    if sumber in (SumberRealisasi.SKM, SumberRealisasi.SKM_PETUGAS):
        return _("%(sumber)s: %(keterangan)s, diperbarui %(pada)s") % {
            "sumber": SUMBER_LABELS[sumber],
            "keterangan": realisasi.sumber_keterangan or _("survei kepuasan masyarakat"),
            "pada": _when(realisasi.diubah_pada),
        }
    if sumber == SumberRealisasi.SENDIRI:
        return _("Dilaporkan sendiri oleh pegawai")
    return str(SUMBER_LABELS.get(sumber, sumber))


def history_of(realisasi_ids: list[int]) -> dict[int, list[dict]]:
    """The history of each realisation, newest first: the value, its source, who and when. One
    query whatever the number of realisations (none when there are none)."""
    if not realisasi_ids:
        return {}
    result: dict[int, list[dict]] = {}
    records = (
        Realisasi.history.filter(id__in=realisasi_ids)
        .select_related("history_user__pegawai")
        .order_by("-history_date", "-history_id")
    )
    for h in records:
        result.setdefault(h.id, []).append(
            {
                "pada": h.history_date,
                "nilai": h.nilai,
                "uraian": h.uraian,
                "sumber": SUMBER_LABELS.get(h.sumber, h.sumber),
                "oleh": user_label(h.history_user) or h.sumber_keterangan or SUMBER_LABELS.get(h.sumber, ""),
                "diverifikasi": h.diverifikasi,
            }
        )
    return result


# --- The self-assessment ---------------------------------------------------------------------------------


@dataclass
class SelfAssessment:
    penilaian: PenilaianDiri
    per_rhk: dict[int, str] = field(default_factory=dict)
    per_value: dict[int, str] = field(default_factory=dict)

    @property
    def sent(self) -> bool:
        return self.penilaian.status == StatusPenilaianDiri.DIKIRIM


def self_assessment(*, skp: SKP, periode: PeriodeEvaluasi, sent_only: bool) -> SelfAssessment | None:
    """The employee's self-assessment of the period with its ratings (two queries, one when there
    is none). ``sent_only``: what the supervisor sees — a draft stays the employee's own."""
    qs = PenilaianDiri.objects.filter(skp=skp, periode_evaluasi=periode).prefetch_related("butir")
    if sent_only:
        qs = qs.filter(status=StatusPenilaianDiri.DIKIRIM)
    penilaian = qs.first()
    if penilaian is None:
        return None
    result = SelfAssessment(penilaian)
    for butir in penilaian.butir.all():
        if butir.rhk_id:
            result.per_rhk[butir.rhk_id] = butir.rating
        else:
            result.per_value[butir.core_value_id] = butir.rating
    return result


def penilaian_diri_status(*, skp: SKP, periode: PeriodeEvaluasi) -> str:
    """ "" (not started), DRAF or DIKIRIM: for the link on the realisation page. One query."""
    return (
        PenilaianDiri.objects.filter(skp=skp, periode_evaluasi=periode).values_list("status", flat=True).first() or ""
    )


def perilaku_row(p, *, umpan_balik: str, penilaian: str, self_rating: str, dialog, hasil_360) -> dict:
    """One core value on the evaluation screen: the supervisor's feedback and own rating, the
    employee's self-rating, the 360° aggregate, and whether the two ratings lie far apart."""
    return {
        "row": p,
        "core_value": p.core_value,
        "umpan_balik": umpan_balik,
        "penilaian": penilaian,
        "penilaian_label": RATING_LABELS.get(penilaian, ""),
        "self_rating": self_rating,
        "self_rating_label": RATING_LABELS.get(self_rating, ""),
        "gap": ev_objektif.large_gaps((self_rating, penilaian)),
        "dialog": dialog,
        "hasil_360": hasil_360,
    }


def penilaian_diri_page(*, skp: SKP, periode: PeriodeEvaluasi, is_owner: bool) -> dict:
    """The self-assessment page: the SKP and its people, the period tabs, each RHK with its IKI and
    computed achievement (as a guide), the seven core values, the self-assessment (the owner's draft
    too; others only once sent) and why it cannot be changed, if it cannot. About a dozen queries
    whatever the number of RHK."""
    skp = _skp_with_people(skp)
    evaluations = _evaluations_of(skp)
    evaluasi = evaluations.get(periode.pk)
    rows = hasil_kerja(skp=skp, periode=periode)
    diri = self_assessment(skp=skp, periode=periode, sent_only=not is_owner)
    for row in rows:
        row.self_rating = diri.per_rhk.get(row.rhk.pk, "") if diri else ""
    values = [
        {
            "core_value": cv,
            "self_rating": diri.per_value.get(cv.pk, "") if diri else "",
            "self_rating_label": RATING_LABELS.get(diri.per_value.get(cv.pk, ""), "") if diri else "",
        }
        for cv in CoreValue.objects.order_by("urutan")
    ]
    locked = ""
    if skp.status != StatusSKP.DISETUJUI:
        locked = _("Penilaian diri diisi setelah SKP disetujui.")
    elif evaluasi is not None and evaluasi.is_final:
        locked = _("Evaluasi periode ini sudah final; penilaian diri tidak dapat diubah.")
    elif diri is not None and diri.sent:
        locked = _("Penilaian diri sudah dikirim kepada pejabat penilai dan tidak dapat diubah.")
    return {
        "skp": skp,
        "periode": periode,
        "evaluasi": evaluasi,
        "tabs": [PeriodTab(p, evaluations.get(p.pk)) for p in periods_of(skp)],
        "rows": rows,
        "values": values,
        "penilaian_diri": diri,
        "locked": locked,
    }


# --- The indicator catalogue in the SKP editor ------------------------------------------------------------


def katalog_for_iki(*, skp: SKP) -> tuple[list, list]:
    """The instansi's active catalogue indicators for the IKI form: (suggested, others), suggested
    being those whose kelompok jabatan appears in the employee's jabatan name (a "Perawat" item for
    a "Perawat Terampil"). One query, two with the jabatan not loaded."""
    from ..models import KatalogIndikator

    jabatan = (skp.jabatan.nama if skp.jabatan_id else "").casefold()
    suggested, others = [], []
    for k in KatalogIndikator.objects.filter(instansi_id=skp.instansi_id, aktif=True):
        (suggested if k.kelompok_jabatan.strip() and k.kelompok_jabatan.casefold() in jabatan else others).append(k)
    return suggested, others
