"""Reads for the organisation screens. Each returns everything its template shows,
with the joins in one place, so a page's query count does not grow with the data."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .access import pegawai_visible_to
from .models import Instansi, Jabatan, Pegawai, Penugasan, UnitKerja


def unit_list(*, instansi: Instansi) -> list[UnitKerja]:
    """The instansi's unit tree in path order, each with its employee count. One query."""
    return list(UnitKerja.objects.filter(instansi=instansi).annotate(jumlah_pegawai=Count("pegawai")).order_by("path"))


def unit_choices(*, instansi: Instansi) -> QuerySet[UnitKerja]:
    return UnitKerja.objects.filter(instansi=instansi).order_by("path")


def jabatan_list(
    *, instansi: Instansi, q: str = "", unit: UnitKerja | None = None, jenis: str = ""
) -> QuerySet[Jabatan]:
    qs = (
        Jabatan.objects.filter(instansi=instansi)
        .select_related("unit", "atasan")
        .annotate(jumlah_pemangku=Count("pemangku"))
    )
    if q:
        qs = qs.filter(nama__icontains=q)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if jenis:
        qs = qs.filter(jenis=jenis)
    return qs.order_by("unit__path", "jenis", "nama")


def pegawai_list(
    *,
    request,
    q: str = "",
    unit: UnitKerja | None = None,
    jabatan: Jabatan | None = None,
    status: str = "",
    jenis_asn: str = "",
) -> QuerySet[Pegawai]:
    """Employees visible to the user, filtered; ``unit`` includes its whole subtree."""
    qs = pegawai_visible_to(request).select_related("jabatan", "unit")
    if q:
        digits = q.replace(" ", "")
        qs = qs.filter(Q(nama__icontains=q) | Q(nip__startswith=digits) if digits.isdigit() else Q(nama__icontains=q))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if jabatan is not None:
        qs = qs.filter(jabatan=jabatan)
    if status:
        qs = qs.filter(status=status)
    if jenis_asn:
        qs = qs.filter(jenis_asn=jenis_asn)
    return qs.order_by("nama", "pk")


def pegawai_detail(*, pegawai: Pegawai) -> dict:
    """An employee with their assignment history and resolved superiors."""
    riwayat = list(
        Penugasan.objects.filter(pegawai=pegawai).select_related("jabatan", "jabatan__unit").order_by("-mulai", "-pk")
    )
    superiors = {
        p.pk: p
        for p in Pegawai.objects.filter(
            pk__in=[pk for pk in (pegawai.pejabat_penilai_id, pegawai.atasan_pejabat_penilai_id) if pk]
        ).select_related("jabatan", "unit")
    }
    return {
        "pegawai": pegawai,
        "riwayat": riwayat,
        "pejabat_penilai": superiors.get(pegawai.pejabat_penilai_id),
        "atasan_pejabat_penilai": superiors.get(pegawai.atasan_pejabat_penilai_id),
    }


def team_of(*, pegawai_id: int) -> QuerySet[Pegawai]:
    """A pejabat penilai's direct subordinates."""
    return Pegawai.objects.filter(pejabat_penilai_id=pegawai_id).select_related("jabatan", "unit").order_by("nama")


def instansi_summary(*, instansi: Instansi) -> dict:
    """Headline counts for the HR home page, in one query per table."""
    pegawai = Pegawai.objects.filter(instansi=instansi).aggregate(
        total=Count("pk"),
        pns=Count("pk", filter=Q(jenis_asn="PNS")),
        pppk=Count("pk", filter=Q(jenis_asn="PPPK")),
        tanpa_jabatan=Count("pk", filter=Q(jabatan__isnull=True)),
        tanpa_penilai=Count("pk", filter=Q(pejabat_penilai__isnull=True, jabatan__isnull=False)),
    )
    return {
        "pegawai": pegawai,
        "jumlah_unit": UnitKerja.objects.filter(instansi=instansi).count(),
        "jumlah_jabatan": Jabatan.objects.filter(instansi=instansi).count(),
    }


def instansi_list() -> QuerySet[Instansi]:
    return Instansi.objects.annotate(jumlah_pegawai=Count("pegawai")).order_by("nama")
