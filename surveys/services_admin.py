"""Writes for SKM administration (PermenPANRB 14/2017; rules §6): a unit's service types, its
channels, the wording of its nine questions, its survey periods, and the follow-up of the
weakest unsur. Each service validates, writes in a transaction and leaves its history
(django-simple-history on the questions and the follow-up items). Nothing is sent or queued.

Access (HR admin of the instansi, or the unit head for their own follow-up items) is decided
by the views through accounts.access before a service is called; the services check that
every object they join belongs to the same instansi."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Pegawai, User

from . import selectors
from .models import (
    JenisLayanan,
    JenisSaluran,
    PeriodeSurvei,
    PertanyaanUnsur,
    Respons,
    SaluranSurvei,
    StatusTindakLanjut,
    TindakLanjut,
    UnitLayanan,
)

# --- Jenis layanan -------------------------------------------------------------------------------------


@transaction.atomic
def jenis_layanan_add(*, unit_layanan: UnitLayanan, nama: str, by: User) -> JenisLayanan:
    """Add a service type to the unit's catalogue (rules §6.4), or reactivate one of the same name."""
    nama = " ".join(nama.split())
    if not nama:
        raise ValidationError({"nama": _("Nama jenis layanan wajib diisi.")})
    jenis, created = JenisLayanan.objects.get_or_create(unit_layanan=unit_layanan, nama=nama)
    if not created:
        if jenis.aktif:
            raise ValidationError({"nama": _("Jenis layanan ini sudah ada.")})
        jenis.aktif = True
        jenis.save(update_fields=["aktif"])
    return jenis


@transaction.atomic
def jenis_layanan_deactivate(*, jenis_layanan: JenisLayanan, by: User) -> JenisLayanan:
    """Hide a service type from the public form; past responses keep pointing at it."""
    jenis_layanan.aktif = False
    jenis_layanan.save(update_fields=["aktif"])
    return jenis_layanan


# --- Channels ---------------------------------------------------------------------------------------------


@transaction.atomic
def saluran_add(
    *, unit_layanan: UnitLayanan, jenis: str, label: str, by: User, petugas: Pegawai | None = None
) -> SaluranSurvei:
    """A new public entry point (a counter, or an officer whose service the answers then score),
    with its own short code for the QR poster."""
    if jenis not in (JenisSaluran.LOKET, JenisSaluran.PETUGAS):
        raise ValidationError({"jenis": _("Pilih loket atau petugas.")})
    if jenis == JenisSaluran.PETUGAS and petugas is None:
        raise ValidationError({"petugas": _("Saluran petugas wajib menyebut pegawainya.")})
    if jenis == JenisSaluran.LOKET:
        petugas = None
    if petugas is not None and petugas.instansi_id != unit_layanan.instansi_id:
        raise ValidationError({"petugas": _("Petugas harus pegawai instansi yang sama.")})
    label = " ".join(label.split()) or (petugas.nama_lengkap if petugas else "")
    if not label:
        raise ValidationError({"label": _("Label wajib diisi.")})
    saluran = SaluranSurvei(unit_layanan=unit_layanan, jenis=jenis, label=label, petugas=petugas)
    saluran.full_clean()
    saluran.save()
    return saluran


@transaction.atomic
def saluran_set_active(*, saluran: SaluranSurvei, aktif: bool, by: User) -> SaluranSurvei:
    """Open or close a channel (an officer moved on); its poster then leads to a closed page."""
    saluran.aktif = aktif
    saluran.save(update_fields=["aktif"])
    return saluran


# --- Question wording ---------------------------------------------------------------------------------------


@transaction.atomic
def pertanyaan_update(
    *, pertanyaan: PertanyaanUnsur, teks: str, labels: tuple[str, str, str, str], by: User
) -> PertanyaanUnsur:
    """Change the wording of one question and its four answer labels. The unsur and the values
    1–4 are fixed by the regulation (rules §6.3): only the words change, and history keeps them."""
    if len(labels) != 4 or not all(label.strip() for label in labels) or not teks.strip():
        raise ValidationError(_("Pertanyaan dan keempat label jawaban wajib diisi."))
    pertanyaan.teks = teks.strip()
    pertanyaan.label_1, pertanyaan.label_2, pertanyaan.label_3, pertanyaan.label_4 = (x.strip() for x in labels)
    pertanyaan._history_user = by
    pertanyaan.full_clean()
    pertanyaan.save()
    return pertanyaan


# --- Periods ---------------------------------------------------------------------------------------------------


@transaction.atomic
def periode_open(
    *,
    unit_layanan: UnitLayanan,
    jenis: str,
    label: str,
    mulai: datetime.date,
    selesai: datetime.date,
    populasi: int,
    metode_sampel: str,
    by: User,
) -> PeriodeSurvei:
    """Open a survey period with its population N (rules §6.1, §6.7). Periods of one unit never
    overlap, so every response belongs to at most one. Accepted or pending responses already
    filled in within the dates but not yet in any period are attached to it (they were given
    before the HR admin opened the period, and count for it)."""
    if selesai < mulai:
        raise ValidationError({"selesai": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    if populasi < 1:
        raise ValidationError({"populasi": _("Populasi minimal 1.")})
    # Lock the unit row so two admins opening overlapping periods at once cannot both pass.
    UnitLayanan.objects.select_for_update().filter(pk=unit_layanan.pk).first()
    overlap = unit_layanan.periode.filter(mulai__lte=selesai, selesai__gte=mulai).first()
    if overlap:
        raise ValidationError(_("Periode ini bertumpang tindih dengan periode %(label)s.") % {"label": overlap.label})
    periode = PeriodeSurvei(
        unit_layanan=unit_layanan,
        jenis=jenis,
        label=label.strip(),
        mulai=mulai,
        selesai=selesai,
        populasi=populasi,
        metode_sampel=metode_sampel,
    )
    periode.full_clean()
    periode.save()
    start, end = selectors.day_bounds(mulai, selesai)
    Respons.objects.filter(
        unit_layanan=unit_layanan, periode__isnull=True, diisi_pada__gte=start, diisi_pada__lt=end
    ).update(periode=periode)
    return periode


# --- Follow-up -------------------------------------------------------------------------------------------------

TINDAK_LANJUT_JUMLAH = 3


@transaction.atomic
def tindak_lanjut_generate(*, periode: PeriodeSurvei, by: User) -> list[TindakLanjut]:
    """Make the three lowest unsur of the period follow-up items assigned to the unit head
    (rules §6.1: results are followed up). Safe to run twice: items are upserted on
    (periode, unsur), their NRR refreshed and plans kept; an item whose unsur is no longer among
    the lowest three is removed only while nobody has written a plan or started it."""
    hasil = selectors.periode_results(periode=periode)
    terendah = hasil.skor.terendah(TINDAK_LANJUT_JUMLAH)
    if not terendah:
        raise ValidationError(_("Belum ada respons diterima pada periode ini."))
    kepala = selectors.kepala_unit_of(unit_id=periode.unit_layanan.unit_id)
    wanted = {u.kode: selectors.round_half_up(u.nrr, selectors.NRR_PLACES) for u in terendah}
    existing = {t.unsur: t for t in TindakLanjut.objects.select_for_update().filter(periode=periode)}
    stale = [
        t.pk
        for kode, t in existing.items()
        if kode not in wanted and t.status == StatusTindakLanjut.RENCANA and not t.rencana.strip()
    ]
    TindakLanjut.objects.filter(pk__in=stale).delete()
    items = []
    for kode, nrr in wanted.items():
        item = existing.get(kode)
        if item is None:
            try:
                with transaction.atomic():
                    item = TindakLanjut(periode=periode, unsur=kode, nrr=nrr, penanggung_jawab=kepala)
                    item._history_user = by
                    item.save()
            except IntegrityError:  # a second click in the same instant made it first
                item = TindakLanjut.objects.get(periode=periode, unsur=kode)
        changed = []
        if item.nrr != nrr:
            item.nrr, changed = nrr, [*changed, "nrr"]
        if item.penanggung_jawab_id is None and kepala is not None:
            item.penanggung_jawab, changed = kepala, [*changed, "penanggung_jawab"]
        if changed:
            item._history_user = by
            item.save(update_fields=changed)
        items.append(item)
    return items


@transaction.atomic
def tindak_lanjut_update(
    *,
    item: TindakLanjut,
    rencana: str,
    status: str,
    target_selesai: datetime.date | None,
    by: User,
) -> TindakLanjut:
    """The unit head (or the HR admin) writes the plan and moves the status. A finished item needs
    a plan: "selesai" with nothing written would be a box ticked, not a follow-up."""
    if status not in StatusTindakLanjut.values:
        raise ValidationError({"status": _("Status tidak dikenal.")})
    if status != StatusTindakLanjut.RENCANA and not rencana.strip():
        raise ValidationError({"rencana": _("Tuliskan rencana tindak lanjut sebelum mengubah status.")})
    item.rencana = rencana.strip()
    item.status = status
    item.target_selesai = target_selesai
    item._history_user = by
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def periode_set_published(*, periode: PeriodeSurvei, published: bool, by: User) -> PeriodeSurvei:
    """Put a period's results on the unit's public results page, or take them off (rules §6.1)."""
    periode.dipublikasikan = published
    periode.save(update_fields=["dipublikasikan"])
    return periode
