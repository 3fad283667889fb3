"""Issue 9 item 5: "Two supervisors saving the same evaluation at once: neither change is silently
lost." Two threads, two PostgreSQL connections, both holding the form loaded at the same version,
save at the same moment: one save wins, the other is refused with a message, and the row holds the
winner's ratings (never a mix, never the loser's silently on top)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from appraisal import services_evaluasi as ev
from appraisal.models import Evaluasi, PeriodeEvaluasi
from appraisal.tests.factories import approved_chain, approved_skp, open_year

pytestmark = pytest.mark.services


def test_two_saves_of_the_same_evaluation_at_the_same_moment_one_wins_and_the_other_is_told(transactional_db, org):
    year = open_year(org)
    tw1 = PeriodeEvaluasi.objects.get(periode_skp=year, jenis="TRIWULANAN", ke=1)
    skp = approved_skp(org.pegawai, year, parent=approved_chain(org, year)["kasi"].rhk.first())
    evaluasi = ev.evaluasi_open(skp=skp, periode=tw1, by=org.penilai.user)
    loaded_at = evaluasi.versi
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save(rating: str, note: str) -> None:
        try:
            mine = Evaluasi.objects.get(pk=evaluasi.pk)  # this thread's own connection
            start.wait(timeout=10)
            ev.evaluasi_save(
                evaluasi=mine, versi=loaded_at, by=org.penilai.user, rating_hasil_kerja=rating,
                rating_perilaku_kerja=rating, catatan_rekomendasi=note,
            )  # fmt: skip
            outcome[rating] = "saved"
        except ValidationError as exc:
            outcome[rating] = "refused: " + " ".join(exc.messages)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=a) for a in (("DI_ATAS", "Tab satu"), ("DI_BAWAH", "Tab dua"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcome) == 2  # both threads finished
    (winner,) = [rating for rating, result in outcome.items() if result == "saved"]
    (loser,) = [rating for rating, result in outcome.items() if result != "saved"]
    assert "baru saja diubah" in outcome[loser]
    evaluasi.refresh_from_db()
    assert (evaluasi.rating_hasil_kerja, evaluasi.rating_perilaku_kerja) == (winner, winner)
    assert evaluasi.catatan_rekomendasi == {"DI_ATAS": "Tab satu", "DI_BAWAH": "Tab dua"}[winner]
    assert evaluasi.versi == loaded_at + 1
