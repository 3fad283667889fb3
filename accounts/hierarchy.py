"""Resolving an employee's pejabat penilai and atasan pejabat penilai for a date.

Rules §1.2 and §7.5: the pejabat penilai is the direct superior, i.e. whoever holds
the post above the employee's own post on that date. A definitive holder comes first,
then a Plt, then a Plh; when the post above is vacant, the next filled post up the
chain takes its place. The atasan pejabat penilai is resolved the same way from the
post in which the pejabat penilai was found.

Pure functions over plain values, so a whole instansi resolves in memory from two
queries (``accounts.services.hierarchy_refresh``) and the logic is easy to test.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

# Acting officials stand in only when no definitive holder is there (rules §7.5).
PRECEDENCE = {"DEFINITIF": 0, "PLT": 1, "PLH": 2}


@dataclass(frozen=True)
class Holding:
    pegawai_id: int
    jabatan_id: int
    jenis: str
    mulai: datetime.date
    selesai: datetime.date | None

    def active_on(self, day: datetime.date) -> bool:
        return self.mulai <= day and (self.selesai is None or self.selesai >= day)


@dataclass(frozen=True)
class Superiors:
    penilai: Holding | None
    atasan_penilai: Holding | None


def _rank(holding: Holding) -> tuple[int, ...]:
    """Definitive before Plt before Plh; within one kind the most recent appointment first
    (an older holder whose assignment was never closed must not outrank the new one).
    The remaining fields only break ties, so that the input order never matters."""
    return (
        PRECEDENCE[holding.jenis],
        -holding.mulai.toordinal(),
        holding.pegawai_id,
        holding.jabatan_id,
        -(holding.selesai or datetime.date.max).toordinal(),
    )


class Organisation:
    """The posts and who holds them on one day, indexed for repeated resolution.

    The result never depends on the order of ``holdings``."""

    def __init__(self, atasan_of: Mapping[int, int | None], holdings: Iterable[Holding], day: datetime.date):
        self.atasan_of = atasan_of
        self.day = day
        self.holders: dict[int, list[Holding]] = defaultdict(list)
        self.own_post: dict[int, Holding] = {}
        for holding in holdings:
            if not holding.active_on(day):
                continue
            self.holders[holding.jabatan_id].append(holding)
            current = self.own_post.get(holding.pegawai_id)
            # An employee's own post is the definitive one; an acting post never replaces it.
            if current is None or _rank(holding) < _rank(current):
                self.own_post[holding.pegawai_id] = holding
        for posts in self.holders.values():
            posts.sort(key=_rank)

    def holder_above(self, jabatan_id: int, *, exclude: int | Collection[int]) -> Holding | None:
        """The first filled post strictly above ``jabatan_id``, skipping the holders in
        ``exclude`` (the employee, and for the atasan also the pejabat penilai)."""
        excluded = {exclude} if isinstance(exclude, int) else set(exclude)
        seen = {jabatan_id}
        post = self.atasan_of.get(jabatan_id)
        while post is not None and post not in seen:
            seen.add(post)
            for holding in self.holders.get(post, ()):
                if holding.pegawai_id not in excluded:
                    return holding
            post = self.atasan_of.get(post)
        return None

    def superiors_of(self, pegawai_id: int) -> Superiors:
        own = self.own_post.get(pegawai_id)
        if own is None:
            return Superiors(None, None)
        penilai = self.holder_above(own.jabatan_id, exclude=pegawai_id)
        if penilai is None:
            return Superiors(None, None)
        # The penilai may also act in the posts above their own; their atasan is someone else.
        atasan = self.holder_above(penilai.jabatan_id, exclude={pegawai_id, penilai.pegawai_id})
        return Superiors(penilai, atasan)
