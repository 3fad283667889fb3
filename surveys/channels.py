"""What the public questionnaire reads on every citizen's visit, cached per process.

/s/<kode>/ needs the channel with its unit and officer, the unit's own wording of the nine
questions, its catalogue of services and its survey periods. HR changes them a few times a year;
citizens read them on every GET and POST, which is where the burst target of issue 8 (200
submissions a second on two cores) is won or lost: they were four of a submission's thirteen
queries.

They are kept in each process's own memory (the ``local`` cache of settings.CACHES: a round trip
to a shared Redis cost the burst 15 % of its rate) for ``settings.SURVEY_CHANNEL_CACHE_SECONDS``
(60 by default; 0 turns the cache off). Any save or delete of those models through the ORM bumps a
generation number, so the process where HR made the change shows it at once and every other
process within that time. A cache that fails is not an error: the page reads the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sikap import caching

from .models import JenisLayanan, PeriodeSurvei, PertanyaanUnsur, SaluranSurvei, UnitLayanan

CACHE_SECONDS = 60


@dataclass(frozen=True)
class Channel:
    """A channel's public page: the active channel of an active unit and what its form shows."""

    saluran: SaluranSurvei  # with unit_layanan and petugas
    pertanyaan: list[PertanyaanUnsur]
    jenis_layanan: list[JenisLayanan]  # active ones, by name


@dataclass(frozen=True)
class Period:
    pk: int
    mulai: datetime.date
    selesai: datetime.date


GENERATION = "surveys.channels"


def _cached(key: str, compute):
    seconds = int(getattr(settings, "SURVEY_CHANNEL_CACHE_SECONDS", CACHE_SECONDS))
    return caching.cached(key, compute, seconds=seconds, generation=GENERATION, alias="local")


def _load_channel(kode: str) -> Channel | None:
    saluran = (
        SaluranSurvei.objects.select_related("unit_layanan", "petugas")
        .filter(kode=kode, aktif=True, unit_layanan__aktif=True)
        .first()
    )
    if saluran is None:
        return None  # cached too: a wrong code typed again and again costs no query
    unit_layanan = saluran.unit_layanan
    return Channel(
        saluran=saluran,
        pertanyaan=list(PertanyaanUnsur.objects.filter(unit_layanan=unit_layanan)),
        jenis_layanan=list(JenisLayanan.objects.filter(unit_layanan=unit_layanan, aktif=True)),
    )


def channel(kode: str) -> Channel | None:
    """The active channel ``kode`` of an active unit, with its questions and services, or None."""
    return _cached(f"surveys:channel:{kode}", lambda: _load_channel(kode))


def periode_on(unit_layanan_id: int, day: datetime.date) -> int | None:
    """The id of the unit's survey period covering ``day`` (the latest to start, if several)."""
    periods = _cached(
        f"surveys:periods:{unit_layanan_id}",
        lambda: [
            Period(*row)
            for row in PeriodeSurvei.objects.filter(unit_layanan_id=unit_layanan_id)
            .order_by("-mulai")
            .values_list("pk", "mulai", "selesai")
        ],
    )
    return next((p.pk for p in periods if p.mulai <= day <= p.selesai), None)


@receiver([post_save, post_delete], sender=SaluranSurvei)
@receiver([post_save, post_delete], sender=UnitLayanan)
@receiver([post_save, post_delete], sender=PertanyaanUnsur)
@receiver([post_save, post_delete], sender=JenisLayanan)
@receiver([post_save, post_delete], sender=PeriodeSurvei)
def _changed(**kwargs) -> None:
    caching.forget(GENERATION, alias="local")
