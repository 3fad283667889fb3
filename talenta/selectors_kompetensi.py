"""Reads of the competency entry screens, filtered by the HR admin's instansi."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q

from accounts.models import Jabatan, Pegawai

from . import rules
from .models import Kompetensi, PenilaianKompetensi, StandarKompetensi

PAGE_SIZE = 25
HISTORY_LIMIT = 100


def kompetensi_of(*, instansi) -> list[Kompetensi]:
    """The eight managerial competencies, Perekat Bangsa and the instansi's technical ones."""
    return list(Kompetensi.objects.filter(Q(instansi__isnull=True) | Q(instansi=instansi)).order_by("jenis", "kode"))


def jabatan_page(*, instansi, q: str, page) -> Page:
    qs = Jabatan.objects.filter(instansi=instansi)
    if q:
        qs = qs.filter(nama__icontains=q)
    qs = qs.select_related("unit").annotate(jumlah_standar=Count("standar_kompetensi")).order_by("unit__path", "nama")
    return Paginator(qs, PAGE_SIZE).get_page(page)


def standar_levels(*, jabatan) -> dict[int, int]:
    return dict(StandarKompetensi.objects.filter(jabatan=jabatan).values_list("kompetensi_id", "level_standar"))


def pegawai_page(*, instansi, q: str, page) -> Page:
    qs = Pegawai.objects.filter(instansi=instansi, status="AKTIF")
    if q:
        qs = qs.filter(Q(nama__icontains=q) | Q(nip__startswith=q.replace(" ", "")))
    qs = (
        qs.select_related("jabatan", "unit")
        .annotate(penilaian_terakhir=Max("penilaian_kompetensi__tanggal"))
        .order_by("nama", "pk")
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def profil_kompetensi(*, pegawai) -> dict:
    """The employee's latest level per competency against their post's standard (with the gap and
    the JPM of rules §4.3) and the assessment history, newest first. Three queries."""
    standar = {
        s.kompetensi_id: s
        for s in StandarKompetensi.objects.filter(jabatan_id=pegawai.jabatan_id).select_related("kompetensi")
    }
    history = list(
        PenilaianKompetensi.objects.filter(pegawai=pegawai)
        .select_related("kompetensi", "dicatat_oleh")
        .order_by("-tanggal", "-pk")[:HISTORY_LIMIT]
    )
    latest: dict[int, PenilaianKompetensi] = {}
    for p in history:
        latest.setdefault(p.kompetensi_id, p)
    rows = []
    for kompetensi_id, s in sorted(
        standar.items(), key=lambda item: (item[1].kompetensi.jenis, item[1].kompetensi.kode)
    ):
        aktual = latest[kompetensi_id].level if kompetensi_id in latest else None
        rows.append(
            {
                "kompetensi": s.kompetensi,
                "standar": s.level_standar,
                "aktual": aktual,
                "gap": max(s.level_standar - (aktual or 0), 0),
            }
        )
    jpm = rules.jpm({r["kompetensi"].kode: (r["aktual"] or 0, r["standar"]) for r in rows}) if rows else None
    return {"rows": rows, "history": history, "latest": {k: p.level for k, p in latest.items()}, "jpm": jpm}
