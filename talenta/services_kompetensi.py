"""Competency entry (issue 6 item 3; rules §5.1, PermenPANRB 38/2017): HR sets the Standar
Kompetensi Jabatan of each post and records each employee's assessed levels. Rows are saved one
by one (a post has at most a few dozen competencies) so django-simple-history keeps every change."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Jabatan, Pegawai

from .models import JenisKompetensi, Kompetensi, PenilaianKompetensi, StandarKompetensi, SumberPenilaian

LEVELS = range(1, 6)  # rules §5.1: levels 1–5


def _check_levels(levels: Mapping[int, int | None]) -> None:
    if any(level is not None and level not in LEVELS for level in levels.values()):
        raise ValidationError(_("Level kompetensi harus antara 1 dan 5."))


def _check_kompetensi(instansi_id: int, ids) -> None:
    ids = set(ids)
    known = set(
        Kompetensi.objects.filter(Q(instansi__isnull=True) | Q(instansi_id=instansi_id), pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if ids - known:
        raise ValidationError(_("Kompetensi tidak dikenal di instansi ini."))


def standar_kompetensi_set(*, jabatan: Jabatan, levels: Mapping[int, int | None], by) -> int:
    """Set the post's required level per competency (kompetensi id → level, None removes it).
    Unchanged rows are left alone; each change is saved with its history. Returns rows changed."""
    _check_levels(levels)
    _check_kompetensi(jabatan.instansi_id, levels.keys())
    existing = {s.kompetensi_id: s for s in StandarKompetensi.objects.filter(jabatan=jabatan)}
    changed = 0
    with transaction.atomic():
        for kompetensi_id, level in levels.items():
            row = existing.get(kompetensi_id)
            if level is None:
                if row is not None:
                    row.delete()
                    changed += 1
            elif row is None:
                StandarKompetensi.objects.create(
                    instansi_id=jabatan.instansi_id, jabatan=jabatan, kompetensi_id=kompetensi_id, level_standar=level
                )
                changed += 1
            elif row.level_standar != level:
                row.level_standar = level
                row.save(update_fields=["level_standar"])
                changed += 1
    return changed


def penilaian_kompetensi_record(
    *, pegawai: Pegawai, sumber: str, tanggal: datetime.date, levels: Mapping[int, int | None], by
) -> int:
    """Record an assessment of ``pegawai`` (from an assessment centre / uji kompetensi or the
    B.1.9 form) on ``tanggal``: one PenilaianKompetensi per competency given a level; earlier
    assessments stay as history and the latest per competency counts. Returns rows written."""
    if sumber not in SumberPenilaian.values:
        raise ValidationError({"sumber": _("Sumber penilaian tidak dikenal.")})
    if tanggal > timezone.localdate():
        raise ValidationError({"tanggal": _("Tanggal penilaian tidak boleh di masa depan.")})
    given = {k: v for k, v in levels.items() if v is not None}
    if not given:
        raise ValidationError(_("Isi level minimal satu kompetensi."))
    _check_levels(given)
    _check_kompetensi(pegawai.instansi_id, given.keys())
    with transaction.atomic():
        for kompetensi_id, level in given.items():
            PenilaianKompetensi.objects.create(
                instansi_id=pegawai.instansi_id, pegawai=pegawai, kompetensi_id=kompetensi_id, level=level,
                sumber=sumber, tanggal=tanggal, dicatat_oleh=by,
            )  # fmt: skip
    return len(given)


def kompetensi_teknis_create(*, instansi, kode: str, nama: str, by) -> Kompetensi:
    """Add a technical competency of the instansi (rules §5.1: set per sector or instansi)."""
    kode = kode.strip().upper()
    if (
        Kompetensi.objects.filter(kode=kode, instansi__isnull=True).exists()
        or Kompetensi.objects.filter(kode=kode, instansi=instansi).exists()
    ):
        raise ValidationError({"kode": _("Kode kompetensi %(kode)s sudah dipakai.") % {"kode": kode}})
    return Kompetensi.objects.create(instansi=instansi, kode=kode, nama=nama.strip(), jenis=JenisKompetensi.TEKNIS)
