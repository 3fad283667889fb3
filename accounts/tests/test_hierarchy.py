"""Resolving the pejabat penilai and atasan pejabat penilai (rules §1.2, §7.5, §9.3.4).

Pure: the organisation is built from plain dicts and Holding tuples, no database.
"""

import contextlib
import datetime
import itertools
import signal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.hierarchy import Holding, Organisation, Superiors

# Posts: Sekda → Kepala Dinas → Kepala Bidang → Kepala Seksi → Staff;
# a second seksi under the same bidang, and a Sekretariat line beside the bidang.
SEKDA, KADIS, KABID, KASI, STAFF = 1, 2, 3, 4, 5
KASI2, STAFF2, SEKRETARIS, KASUBAG = 6, 7, 8, 9
CHAIN = {
    SEKDA: None,
    KADIS: SEKDA,
    KABID: KADIS,
    KASI: KABID,
    STAFF: KASI,
    KASI2: KABID,
    STAFF2: KASI2,
    SEKRETARIS: KADIS,
    KASUBAG: SEKRETARIS,
}
# People.
GITA, ANI, BUDI, CITRA, DODI, EKA, FANI, HADI, INA, JOKO = 10, 20, 30, 40, 50, 51, 60, 70, 80, 90

DAY = datetime.date(2024, 6, 10)
LONG_AGO = datetime.date(2020, 1, 1)


def hold(pegawai, jabatan, jenis="DEFINITIF", mulai=LONG_AGO, selesai=None) -> Holding:
    return Holding(pegawai, jabatan, jenis, mulai, selesai)


# The full line, everyone in post: Gita (sekda), Ani (kadis), Budi (kabid), Citra (kasi),
# Dodi and Eka (staff), Fani (kasi 2), Hadi (sekretaris).
FULL = {
    GITA: hold(GITA, SEKDA),
    ANI: hold(ANI, KADIS),
    BUDI: hold(BUDI, KABID),
    CITRA: hold(CITRA, KASI),
    DODI: hold(DODI, STAFF),
    EKA: hold(EKA, STAFF),
    FANI: hold(FANI, KASI2),
    HADI: hold(HADI, SEKRETARIS),
}


def org(*holdings, day=DAY, atasan_of=CHAIN, without=()) -> Organisation:
    """FULL minus ``without``, plus ``holdings``."""
    base = [h for who, h in FULL.items() if who not in without]
    return Organisation(atasan_of, [*base, *holdings], day)


def who(superiors: Superiors) -> tuple[int | None, int | None]:
    return (
        superiors.penilai.pegawai_id if superiors.penilai else None,
        superiors.atasan_penilai.pegawai_id if superiors.atasan_penilai else None,
    )


@contextlib.contextmanager
def finishes_within(seconds: float):
    """Turn an endless loop into a failure instead of a hung suite."""

    def _timeout(signum, frame):
        raise TimeoutError(f"did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- Holding.active_on ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (datetime.date(2024, 6, 2), False),
        (datetime.date(2024, 6, 3), True),
        (datetime.date(2024, 6, 5), True),
        (datetime.date(2024, 6, 7), True),
        (datetime.date(2024, 6, 8), False),
    ],
    ids=["day before start", "start day", "middle", "end day", "day after end"],
)
def test_holding_is_active_from_its_start_day_to_its_end_day_inclusive(day, active):
    assert hold(FANI, KASI, "PLH", datetime.date(2024, 6, 3), datetime.date(2024, 6, 7)).active_on(day) is active


def test_open_ended_holding_stays_active_from_its_start():
    open_ended = hold(CITRA, KASI, mulai=DAY)
    assert open_ended.active_on(DAY)
    assert open_ended.active_on(datetime.date(2099, 12, 31))
    assert not open_ended.active_on(DAY - datetime.timedelta(days=1))


def test_one_day_holding_is_active_on_that_day_only():
    one_day = hold(FANI, KASI, "PLH", DAY, DAY)
    assert [one_day.active_on(DAY + datetime.timedelta(days=d)) for d in (-1, 0, 1)] == [False, True, False]


# --- The direct line ---------------------------------------------------------------------------------------


def test_penilai_is_the_holder_of_the_post_above_and_atasan_the_one_above_that():
    assert who(org().superiors_of(DODI)) == (CITRA, BUDI)


@pytest.mark.parametrize(
    ("pegawai", "expected"),
    [(DODI, (CITRA, BUDI)), (EKA, (CITRA, BUDI)), (CITRA, (BUDI, ANI)), (FANI, (BUDI, ANI)), (BUDI, (ANI, GITA))],
)
def test_each_level_of_the_line_gets_its_own_superiors(pegawai, expected):
    assert who(org().superiors_of(pegawai)) == expected


def test_top_of_the_chain_has_no_penilai():
    assert org().superiors_of(GITA) == Superiors(None, None)


def test_penilai_at_the_top_of_the_chain_leaves_no_atasan_penilai():
    assert who(org().superiors_of(ANI)) == (GITA, None)


def test_resolved_penilai_is_the_holding_in_the_post_above():
    assert org().superiors_of(DODI).penilai == FULL[CITRA]


# --- Vacant posts --------------------------------------------------------------------------------------


def test_vacant_post_passes_to_the_next_filled_post_up():
    assert who(org(without={CITRA}).superiors_of(DODI)) == (BUDI, ANI)


def test_several_vacant_posts_pass_to_the_first_filled_post_further_up():
    assert who(org(without={CITRA, BUDI}).superiors_of(DODI)) == (ANI, GITA)


def test_vacant_post_above_the_penilai_passes_the_atasan_up():
    assert who(org(without={BUDI}).superiors_of(DODI)) == (CITRA, ANI)


def test_everything_above_vacant_leaves_the_employee_without_superiors():
    assert org(without={CITRA, BUDI, ANI, GITA}).superiors_of(DODI) == Superiors(None, None)


def test_post_whose_holder_has_left_is_vacant_from_the_day_after():
    left = hold(CITRA, KASI, selesai=DAY - datetime.timedelta(days=1))
    assert who(org(left, without={CITRA}).superiors_of(DODI)) == (BUDI, ANI)
    last_day = hold(CITRA, KASI, selesai=DAY)
    assert who(org(last_day, without={CITRA}).superiors_of(DODI)) == (CITRA, BUDI)


def test_post_whose_holder_starts_tomorrow_is_still_vacant_today():
    tomorrow = hold(INA, KASI, mulai=DAY + datetime.timedelta(days=1))
    assert who(org(tomorrow, without={CITRA}).superiors_of(DODI)) == (BUDI, ANI)


# --- Acting officials: Plt and Plh ------------------------------------------------------------------------


def test_plt_stands_in_for_a_post_with_no_definitive_holder():
    plt = hold(FANI, KASI, "PLT", mulai=DAY)
    assert who(org(plt, without={CITRA}).superiors_of(DODI)) == (FANI, BUDI)


def test_atasan_penilai_comes_from_the_post_the_plt_acts_in_not_from_their_own_post():
    # Hadi is Sekretaris (reporting to the Kadis) and Plt of the vacant Kepala Seksi post:
    # his atasan for Dodi's appraisal is the Kepala Bidang above that seksi, not the Kadis.
    plt = hold(HADI, KASI, "PLT", mulai=DAY)
    superiors = org(plt, without={CITRA}).superiors_of(DODI)
    assert superiors.penilai == plt
    assert who(superiors) == (HADI, BUDI)


def test_atasan_penilai_found_through_a_vacant_post_above_the_plt_post():
    plt = hold(HADI, KASI, "PLT", mulai=DAY)
    assert who(org(plt, without={CITRA, BUDI}).superiors_of(DODI)) == (HADI, ANI)


def test_plt_of_a_post_above_also_becomes_the_atasan_penilai():
    plt = hold(FANI, KABID, "PLT", mulai=DAY)
    assert who(org(plt, without={BUDI}).superiors_of(DODI)) == (CITRA, FANI)


def test_definitive_holder_beats_a_plt():
    plt = hold(FANI, KASI, "PLT", mulai=DAY)
    assert who(org(plt).superiors_of(DODI)) == (CITRA, BUDI)


def test_plt_beats_a_plh():
    plt = hold(FANI, KASI, "PLT", mulai=LONG_AGO)
    plh = hold(HADI, KASI, "PLH", mulai=DAY)
    assert who(org(plt, plh, without={CITRA}).superiors_of(DODI)) == (FANI, BUDI)


def test_definitive_holder_beats_a_plh():
    plh = hold(HADI, KASI, "PLH", mulai=DAY, selesai=DAY)
    assert who(org(plh).superiors_of(DODI)) == (CITRA, BUDI)


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["DEFINITIF", "PLT", "PLH"])), ids=lambda order: ">".join(order)
)
def test_precedence_definitive_plt_plh_holds_in_any_input_order(order):
    people = {"DEFINITIF": JOKO, "PLT": FANI, "PLH": HADI}
    holdings = [hold(people[jenis], KASI, jenis, mulai=DAY) for jenis in order]
    assert who(org(*holdings, without={CITRA}).superiors_of(DODI))[0] == JOKO


@pytest.mark.parametrize(
    ("day", "penilai"),
    [
        (datetime.date(2024, 6, 2), BUDI),
        (datetime.date(2024, 6, 3), HADI),
        (datetime.date(2024, 6, 7), HADI),
        (datetime.date(2024, 6, 8), BUDI),
    ],
    ids=["day before the plh", "first day", "last day", "day after"],
)
def test_plh_stands_in_only_on_its_dates(day, penilai):
    plh = hold(HADI, KASI, "PLH", datetime.date(2024, 6, 3), datetime.date(2024, 6, 7))
    assert who(org(plh, without={CITRA}, day=day).superiors_of(DODI))[0] == penilai


def test_acting_post_never_replaces_the_employees_own_definitive_post():
    # Citra is Kepala Seksi and Plt Kasubag: her own appraisal still follows the seksi line.
    plt = hold(CITRA, KASUBAG, "PLT", mulai=DAY)
    organisation = org(plt)
    assert organisation.own_post[CITRA] == FULL[CITRA]
    assert who(organisation.superiors_of(CITRA)) == (BUDI, ANI)


def test_employee_holding_only_an_acting_post_is_appraised_along_that_post():
    plt = hold(INA, KASI, "PLT", mulai=DAY)
    organisation = org(plt, without={CITRA})
    assert organisation.own_post[INA] == plt
    assert who(organisation.superiors_of(INA)) == (BUDI, ANI)


# --- Never one's own superior ---------------------------------------------------------------------------------


def test_employee_who_is_plt_of_their_own_superiors_post_is_not_their_own_penilai():
    plt = hold(DODI, KASI, "PLT", mulai=DAY)
    organisation = org(plt, without={CITRA})
    assert who(organisation.superiors_of(DODI)) == (BUDI, ANI)
    # ...while the colleague on the same post is appraised by Dodi as Plt.
    assert who(organisation.superiors_of(EKA)) == (DODI, BUDI)


def test_employee_who_is_plt_of_the_post_above_their_penilai_is_not_their_own_atasan_penilai():
    plt = hold(DODI, KABID, "PLT", mulai=DAY)
    assert who(org(plt, without={BUDI}).superiors_of(DODI)) == (CITRA, ANI)


def test_penilai_who_also_acts_in_the_post_above_is_not_their_own_atasan():
    plt = hold(CITRA, KABID, "PLT", mulai=DAY)
    assert who(org(plt, without={BUDI}).superiors_of(DODI)) == (CITRA, ANI)


def test_penilai_acting_in_two_posts_above_is_still_not_their_own_atasan():
    # A small instansi: the Kepala Seksi is Plt of the vacant bidang and of the vacant dinas.
    plt_kabid = hold(CITRA, KABID, "PLT", mulai=DAY)
    plt_kadis = hold(CITRA, KADIS, "PLT", mulai=DAY)
    superiors = org(plt_kabid, plt_kadis, without={BUDI, ANI}).superiors_of(DODI)
    assert who(superiors) == (CITRA, GITA)


# --- Deterministic choice among several holders -----------------------------------------------------------


def test_most_recent_definitive_appointment_to_the_post_above_is_the_penilai():
    # Joko was appointed Kepala Seksi while Citra's assignment was never closed.
    joko = hold(JOKO, KASI, mulai=datetime.date(2024, 3, 1))
    assert who(org(joko).superiors_of(DODI)) == (JOKO, BUDI)


def test_holders_appointed_the_same_day_are_ordered_by_pegawai_id():
    twins = [hold(JOKO, KASI, mulai=DAY), hold(INA, KASI, mulai=DAY)]
    assert who(org(*twins, without={CITRA}).superiors_of(DODI))[0] == min(JOKO, INA)
    assert who(org(*reversed(twins), without={CITRA}).superiors_of(DODI))[0] == min(JOKO, INA)


@pytest.mark.parametrize("permutation", list(itertools.permutations(range(4))))
def test_several_holders_of_the_same_post_give_the_same_penilai_in_any_input_order(permutation):
    holders = [
        hold(CITRA, KASI, mulai=LONG_AGO),
        hold(JOKO, KASI, mulai=datetime.date(2023, 1, 1)),
        hold(INA, KASI, mulai=datetime.date(2023, 1, 1)),
        hold(HADI, KASI, "PLT", mulai=DAY),
    ]
    organisation = org(*(holders[i] for i in permutation), without={CITRA})
    assert who(organisation.superiors_of(DODI)) == (min(JOKO, INA), BUDI)
    assert [h.pegawai_id for h in organisation.holders[KASI]] == [min(JOKO, INA), max(JOKO, INA), CITRA, HADI]


def test_employee_with_two_open_definitive_posts_is_appraised_along_the_latest():
    # Dodi moved to the second seksi; the old assignment was never closed.
    moved = hold(DODI, STAFF2, mulai=datetime.date(2024, 1, 15))
    for holdings in ([moved, FULL[DODI]], [FULL[DODI], moved]):
        organisation = Organisation(CHAIN, [h for k, h in FULL.items() if k != DODI] + holdings, DAY)
        assert organisation.own_post[DODI] == moved
        assert who(organisation.superiors_of(DODI)) == (FANI, BUDI)


# --- Broken data -------------------------------------------------------------------------------------------


def test_employee_with_no_post_on_that_day_has_no_superiors():
    ended = hold(DODI, STAFF, selesai=DAY - datetime.timedelta(days=1))
    assert org(ended, without={DODI}).superiors_of(DODI) == Superiors(None, None)


def test_unknown_employee_has_no_superiors():
    assert org().superiors_of(999) == Superiors(None, None)


def test_post_reporting_to_a_post_missing_from_the_map_ends_the_chain():
    assert who(Organisation({STAFF: 12345}, [FULL[DODI]], DAY).superiors_of(DODI)) == (None, None)


def test_cycle_of_vacant_posts_ends_without_a_penilai():
    looped = {STAFF: KASI, KASI: KABID, KABID: KASI}
    with finishes_within(10):
        assert Organisation(looped, [FULL[DODI]], DAY).superiors_of(DODI) == Superiors(None, None)


def test_post_that_reports_to_itself_does_not_loop():
    with finishes_within(10):
        assert Organisation({KASI: KASI}, [FULL[CITRA]], DAY).superiors_of(CITRA) == Superiors(None, None)


def test_cycle_through_filled_posts_stops_before_coming_back_to_the_employee():
    looped = {KABID: KASI, KASI: KABID}
    with finishes_within(10):
        organisation = Organisation(looped, [FULL[BUDI], FULL[CITRA]], DAY)
        assert who(organisation.superiors_of(CITRA)) == (BUDI, None)
        assert who(organisation.superiors_of(BUDI)) == (CITRA, None)


# --- Properties ----------------------------------------------------------------------------------------------

POSTS = range(1, 7)
PEOPLE = range(100, 106)


@st.composite
def organisations(draw):
    """Up to six posts with arbitrary (even cyclic) reporting lines and overlapping holdings."""
    atasan_of = {post: draw(st.none() | st.sampled_from(POSTS)) for post in POSTS}
    holdings = draw(
        st.lists(
            st.builds(
                Holding,
                pegawai_id=st.sampled_from(PEOPLE),
                jabatan_id=st.sampled_from(POSTS),
                jenis=st.sampled_from(["DEFINITIF", "PLT", "PLH"]),
                mulai=st.dates(datetime.date(2024, 1, 1), datetime.date(2024, 1, 10)),
                selesai=st.none() | st.dates(datetime.date(2024, 1, 1), datetime.date(2024, 1, 20)),
            ).filter(lambda h: h.selesai is None or h.selesai >= h.mulai),
            max_size=12,
        )
    )
    day = draw(st.dates(datetime.date(2024, 1, 1), datetime.date(2024, 1, 20)))
    return atasan_of, holdings, day


def _chain_above(atasan_of, post):
    seen, post = {post}, atasan_of.get(post)
    while post is not None and post not in seen:
        yield post
        seen.add(post)
        post = atasan_of.get(post)


@settings(deadline=None)  # timing under a loaded parallel run is not what is tested
@given(organisations(), st.randoms(use_true_random=False))
def test_superiors_are_never_the_employee_and_never_depend_on_input_order(data, random):
    atasan_of, holdings, day = data
    shuffled = list(holdings)
    random.shuffle(shuffled)
    with finishes_within(10):
        first, second = Organisation(atasan_of, holdings, day), Organisation(atasan_of, shuffled, day)
        for pegawai in PEOPLE:
            assert first.own_post.get(pegawai) == second.own_post.get(pegawai)
            superiors = first.superiors_of(pegawai)
            assert superiors == second.superiors_of(pegawai)
            penilai, atasan = who(superiors)
            assert pegawai not in (penilai, atasan)
            assert atasan is None or atasan != penilai
            assert penilai is not None or atasan is None
            if superiors.penilai:
                assert superiors.penilai.active_on(day)
                assert superiors.penilai.jabatan_id in set(_chain_above(atasan_of, first.own_post[pegawai].jabatan_id))
            if superiors.atasan_penilai:
                assert superiors.atasan_penilai.active_on(day)
                assert superiors.atasan_penilai.jabatan_id in set(_chain_above(atasan_of, superiors.penilai.jabatan_id))
