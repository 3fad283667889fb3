"""What the home pages show about SKP planning, in a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import SKP, PeriodeSKP, StatusSKP


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
