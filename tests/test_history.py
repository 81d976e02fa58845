"""The dated control history: precedence of claims, intervals, composite areas.

Claims are built by hand (and, in the last tests, read from reports written for the
purpose), so each rule is seen on its own.
"""

from __future__ import annotations

import pytest

from geoaleppo import gazetteer as gz
from geoaleppo.history import Interval, area_members_on, history
from geoaleppo.model import Article, ClaimBasis, ControlClaim, ControlStatus
from geoaleppo.reader import read_text

GOVERNMENT, REBELS, CONTESTED = (ControlStatus.GOVERNMENT, ControlStatus.REBELS,
                                 ControlStatus.CONTESTED)


@pytest.fixture(scope="module")
def index() -> gz.Gazetteer:
    return gz.load()


def _claim(index: gz.Gazetteer, status: ControlStatus, date: str, basis: ClaimBasis, *,
           place: str = "ash-shaar", article: str = "a", sentence: int = 0,
           claimant: str = "Reuters") -> ControlClaim:
    found = index.get(place)
    assert found is not None
    return ControlClaim(status, found, date, claimant, f"sentence {sentence}", sentence,
                        Article(title=article, published=date, id=article), basis)


def _statuses(claims: list[ControlClaim], place: str = "ash-shaar", **options
              ) -> list[tuple[str, str | None, str]]:
    place_history = history(claims, **options).of(place)
    assert place_history is not None
    return [(i.start, i.end, i.status) for i in place_history.intervals]


def _last_interval(claims: list[ControlClaim]) -> Interval:
    place_history = history(claims).of("ash-shaar")
    assert place_history is not None
    return place_history.intervals[-1]


def test_a_capture_changes_the_holder_from_its_day(index: gz.Gazetteer) -> None:
    claims = [_claim(index, REBELS, "2016-11-20", ClaimBasis.HELD),
              _claim(index, GOVERNMENT, "2016-11-26", ClaimBasis.CAPTURE, article="b")]
    assert _statuses(claims) == [("2016-11-20", "2016-11-25", REBELS),
                                 ("2016-11-26", None, GOVERNMENT)]


def test_an_outcome_outweighs_the_fighting_that_led_to_it(index: gz.Gazetteer) -> None:
    # "After heavy clashes, government forces captured Al Shaar": one day, two claims.
    claims = [_claim(index, CONTESTED, "2016-11-26", ClaimBasis.FIGHTING),
              _claim(index, GOVERNMENT, "2016-11-26", ClaimBasis.CAPTURE)]
    assert _statuses(claims) == [("2016-11-26", None, GOVERNMENT)]


def test_partial_captures_and_assaults_make_a_place_contested(index: gz.Gazetteer) -> None:
    claims = [_claim(index, REBELS, "2016-11-20", ClaimBasis.HELD),
              _claim(index, CONTESTED, "2016-11-22", ClaimBasis.ASSAULT),
              _claim(index, CONTESTED, "2016-11-24", ClaimBasis.PARTIAL)]
    assert _statuses(claims) == [("2016-11-20", "2016-11-21", REBELS),
                                 ("2016-11-22", None, CONTESTED)]


def test_a_repelled_assault_keeps_the_holder(index: gz.Gazetteer) -> None:
    claims = [_claim(index, REBELS, "2016-11-20", ClaimBasis.HELD),
              _claim(index, CONTESTED, "2016-11-22", ClaimBasis.ASSAULT, sentence=1),
              _claim(index, REBELS, "2016-11-22", ClaimBasis.REPELLED, sentence=2)]
    assert _statuses(claims) == [("2016-11-20", None, REBELS)]


def test_the_narrative_order_decides_within_one_account(index: gz.Gazetteer) -> None:
    # "The next day, government forces captured the villages. Later that day, however,
    # the rebel forces managed to regain all three."
    claims = [_claim(index, GOVERNMENT, "2016-08-18", ClaimBasis.CAPTURE, sentence=4),
              _claim(index, REBELS, "2016-08-18", ClaimBasis.CAPTURE, sentence=5)]
    assert _statuses(claims) == [("2016-08-18", None, REBELS)]


def test_accounts_that_disagree_on_a_day_make_it_contested(index: gz.Gazetteer) -> None:
    claims = [_claim(index, GOVERNMENT, "2016-11-26", ClaimBasis.CAPTURE, article="a"),
              _claim(index, REBELS, "2016-11-26", ClaimBasis.REPELLED, article="b"),
              _claim(index, GOVERNMENT, "2016-11-28", ClaimBasis.CAPTURE, article="c")]
    assert _statuses(claims) == [("2016-11-26", "2016-11-27", CONTESTED),
                                 ("2016-11-28", None, GOVERNMENT)]


def test_a_sides_own_gains_are_claimed_until_repeated(index: gz.Gazetteer) -> None:
    own = _claim(index, GOVERNMENT, "2016-11-26", ClaimBasis.CAPTURE, article="a",
                 claimant="Syrian state media")
    before = _claim(index, REBELS, "2016-11-20", ClaimBasis.HELD, article="z")
    assert _last_interval([before, own]).claimed
    # The corroborated view leaves the unrepeated claim out ...
    assert _statuses([before, own], corroborated=True) == [("2016-11-20", None, REBELS)]
    # ... until a source independent of the government repeats it within the week.
    repeat = _claim(index, GOVERNMENT, "2016-11-29", ClaimBasis.HELD, article="b",
                    claimant="Syrian Observatory for Human Rights")
    assert _statuses([before, own, repeat], corroborated=True) == [
        ("2016-11-20", "2016-11-25", REBELS), ("2016-11-26", None, GOVERNMENT)]
    assert not _last_interval([before, own, repeat]).claimed


def test_eastern_aleppo_follows_its_districts(index: gz.Gazetteer) -> None:
    eastern = index.get("eastern-aleppo")
    assert eastern is not None
    recorded = set(eastern.members_as_of("2016-11-20")[1])
    assert {"ash-shaar", "hanano"} <= recorded
    claims = [_claim(index, REBELS, "2016-11-20", ClaimBasis.HELD, place="ash-shaar"),
              _claim(index, GOVERNMENT, "2016-11-27", ClaimBasis.CAPTURE, place="hanano"),
              _claim(index, GOVERNMENT, "2016-12-01", ClaimBasis.CAPTURE,
                     place="ash-shaar")]
    dated = history(claims)
    before = set(area_members_on(eastern, "2016-11-26", dated, index))
    after_hanano = set(area_members_on(eastern, "2016-11-28", dated, index))
    after_shaar = set(area_members_on(eastern, "2016-12-02", dated, index))
    assert {"ash-shaar", "hanano"} <= before
    assert "hanano" not in after_hanano and "ash-shaar" in after_hanano
    assert "ash-shaar" not in after_shaar
    # A district the history says nothing about keeps the gazetteer's record for the day.
    assert (recorded - {"ash-shaar", "hanano"}) <= after_hanano


def test_the_old_city_keeps_its_members(index: gz.Gazetteer) -> None:
    old_city = index.get("old-city")
    assert old_city is not None
    assert area_members_on(old_city, "2016-12-01", history([]), index) == old_city.members


def test_history_of_reports_read_from_text() -> None:
    reports = [
        ("Battle report\n\nOn 26 November, government forces captured Hanano after heavy "
         "clashes.\nThe next day, rebels launched an assault on Sheikh Saeed.\n"),
        ("Rebels say attack repelled\n\nOn 27 November, the army's assault on Sheikh Saeed was "
         "repelled by rebel forces, a rebel official said.\n"),
    ]
    readings = [read_text(text, published="2016-12-31") for text in reports]
    dated = history(c for r in readings for c in r.control)
    statuses = {(s.place.id, s.status) for s in dated.status_on("2016-11-27")}
    assert ("hanano", GOVERNMENT) in statuses
    # One account says an assault is under way, the other that it was repelled: the
    # repelled assault is what happened, and keeps the rebels' hold.
    assert ("sheikh-saeed", REBELS) in statuses
    assert dated.days == ("2016-11-26", "2016-11-27")


def test_the_history_does_not_depend_on_the_order_of_claims(index: gz.Gazetteer) -> None:
    claims = [_claim(index, GOVERNMENT, "2016-11-26", ClaimBasis.CAPTURE, article="a"),
              _claim(index, REBELS, "2016-11-26", ClaimBasis.HELD, article="b"),
              _claim(index, CONTESTED, "2016-11-27", ClaimBasis.FIGHTING, article="c")]
    assert history(claims) == history(list(reversed(claims)))
