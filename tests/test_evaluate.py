"""Scoring the reader on geoparsing corpora: synthetic corpora in the real schemas, and a
quick look at the real TR-News when the shared corpora are present."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from geoaleppo.corpora import GoldArticle, GoldToponym, aligned_span, load_corpus
from geoaleppo.errors import CorpusError
from geoaleppo.evaluate import Report, evaluate, match_spans

TEXT = "Fighting raged in Aleppo and Moscow said it would respond."
ALEPPO = ("Aleppo", 170063, 36.20124, 37.16117)
MOSCOW = ("Moscow", 524901, 55.75222, 37.61556)


def eval_dir() -> Path:
    configured = os.environ.get("GEOALEPPO_EVAL_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared" / "eval"


# -- synthetic corpora in the real schemas -----------------------------------------------
def lgl_toponym(phrase: str, start: int, geonameid: int | None = None,
                lat: float | None = None, lon: float | None = None) -> str:
    """A toponym as TR-News and LGL write it."""
    gaztag = ""
    if geonameid is not None:
        gaztag = f"""
        <gaztag geonameid="{geonameid}">
          <name>{escape(phrase)}</name>
          <fclass>P</fclass>
          <fcode>PPLA</fcode>
          <lat>{lat}</lat>
          <lon>{lon}</lon>
          <country geonameid="163843">Syria</country>
        </gaztag>"""
    return f"""
      <toponym>
        <start>{start}</start>
        <end>{start + len(phrase)}</end>
        <phrase>{escape(phrase)}</phrase>{gaztag}
      </toponym>"""


def lgl_corpus(*articles: tuple[str, list[str]]) -> str:
    body = "".join(
        f"""
  <article docid="{index}">
    <feedid>1</feedid>
    <title>Synthetic</title>
    <domain>example.org</domain>
    <url>http://example.org/{index}</url>
    <dltime>2016-12-05</dltime>
    <text><![CDATA[{text}]]></text>
    <toponyms count="{len(toponyms)}">{"".join(toponyms)}
    </toponyms>
  </article>"""
        for index, (text, toponyms) in enumerate(articles, start=1)
    )
    return f'<?xml version="1.0" encoding="utf-8"?>\n\n<articles>{body}\n</articles>\n'


def gwn_toponym(phrase: str, start: int, kind: str, geonameid: int | None = None,
                lat: float | None = None, lon: float | None = None) -> str:
    """A toponym as GeoWebNews writes it."""
    coordinates = "<geonamesID/>"
    if lat is not None:
        coordinates = (
            f"<geonamesID>{geonameid}</geonamesID>" if geonameid else "<geonamesID/>"
        ) + f"\n\t\t\t\t<latitude>{lat}</latitude>\n\t\t\t\t<longitude>{lon}</longitude>"
    return f"""
\t\t\t<toponym>
\t\t\t\t<extractedName>{escape(phrase)}</extractedName>
\t\t\t\t<normalisedName/>
\t\t\t\t<type>{kind}</type>
\t\t\t\t<modifierType/>
\t\t\t\t<nonLocational>No</nonLocational>
\t\t\t\t<start>{start}</start>
\t\t\t\t<end>{start + len(phrase)}</end>
\t\t\t\t{coordinates}
\t\t\t</toponym>"""


def gwn_corpus(*articles: tuple[str, list[str]]) -> str:
    body = "".join(
        f"""
\t<article file="{index}">
\t\t<title>Synthetic</title>
\t\t<link>http://example.org/{index}</link>
\t\t<text>{escape(text)}</text>
\t\t<toponyms>{"".join(toponyms)}
\t\t</toponyms>
\t</article>"""
        for index, (text, toponyms) in enumerate(articles)
    )
    return f'<?xml version="1.0" ?>\n<articles>\n\t<!--synthetic-->{body}\n</articles>\n'


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def gwn_aleppo_moscow(tmp_path: Path) -> Path:
    aleppo = gwn_toponym("Aleppo", TEXT.index("Aleppo"), "Literal", *ALEPPO[1:])
    moscow = gwn_toponym("Moscow", TEXT.index("Moscow"), "Metonymic", *MOSCOW[1:])
    return write(tmp_path, "GWN.xml", gwn_corpus((TEXT, [aleppo, moscow])))


def lgl_aleppo_moscow(tmp_path: Path) -> Path:
    aleppo = lgl_toponym("Aleppo", TEXT.index("Aleppo"), *ALEPPO[1:])
    moscow = lgl_toponym("Moscow", TEXT.index("Moscow"), *MOSCOW[1:])
    return write(tmp_path, "LGL.xml", lgl_corpus((TEXT, [aleppo, moscow])))


# -- loading -----------------------------------------------------------------------------
def test_load_gwn_schema(tmp_path: Path) -> None:
    articles = load_corpus(gwn_aleppo_moscow(tmp_path))
    assert len(articles) == 1
    article = articles[0]
    assert isinstance(article, GoldArticle)
    assert article.text == TEXT
    assert article.toponyms == (
        GoldToponym("Aleppo", 18, 24, 36.20124, 37.16117, 170063, "Literal"),
        GoldToponym("Moscow", 29, 35, 55.75222, 37.61556, 524901, "Metonymic"),
    )
    assert article.offset_mismatches() == 0


def test_load_lgl_schema_with_and_without_gaztag(tmp_path: Path) -> None:
    text = "Snow fell on Alexandria and Rapides Parish."
    path = write(tmp_path, "LGL.xml", lgl_corpus((text, [
        lgl_toponym("Alexandria", 13, 4314550, 31.3113, -92.4451),
        lgl_toponym("Rapides Parish", 28),
    ])))
    (article,) = load_corpus(path)
    first, second = article.toponyms
    assert first == GoldToponym("Alexandria", 13, 23, 31.3113, -92.4451, 4314550, None)
    assert second == GoldToponym("Rapides Parish", 28, 42, None, None, None, None)


def test_load_gwn_toponym_with_coordinates_but_no_geonames_id(tmp_path: Path) -> None:
    text = "They met at Frenchmen Street."
    path = write(tmp_path, "GWN.xml", gwn_corpus(
        (text, [gwn_toponym("Frenchmen Street", 12, "Literal", None, 29.98, -90.06)])
    ))
    (toponym,) = load_corpus(path)[0].toponyms
    assert (toponym.geonameid, toponym.lat, toponym.lon) == (None, 29.98, -90.06)


def test_malformed_xml_raises_corpus_error_naming_the_file(tmp_path: Path) -> None:
    good = lgl_corpus((TEXT, [lgl_toponym("Aleppo", 18, *ALEPPO[1:])]))
    path = write(tmp_path, "broken.xml", good.replace("</toponyms>", "</toponym>", 1))
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    message = str(caught.value)
    assert "broken.xml" in message
    assert "\n" not in message
    with pytest.raises(CorpusError, match=r"broken\.xml"):
        evaluate(path)


def test_missing_fields_raise_corpus_error(tmp_path: Path) -> None:
    no_start = lgl_corpus((TEXT, [lgl_toponym("Aleppo", 18)])).replace("<start>18</start>", "")
    path = write(tmp_path, "nostart.xml", no_start)
    with pytest.raises(CorpusError, match=r"nostart\.xml.*Aleppo.*<start>"):
        load_corpus(path)
    bad_number = lgl_corpus((TEXT, [lgl_toponym("Aleppo", 18, 170063, 36.2, 37.1)]))
    path = write(tmp_path, "badlat.xml", bad_number.replace("<lat>36.2<", "<lat>north<"))
    with pytest.raises(CorpusError, match=r"badlat\.xml.*latitude"):
        load_corpus(path)
    no_text = lgl_corpus((TEXT, [])).replace(f"<text><![CDATA[{TEXT}]]></text>", "")
    with pytest.raises(CorpusError, match=r"notext\.xml.*<text>"):
        load_corpus(write(tmp_path, "notext.xml", no_text))
    with pytest.raises(CorpusError, match=r"absent\.xml"):
        load_corpus(tmp_path / "absent.xml")
    with pytest.raises(CorpusError, match=r"other\.xml.*<articles>"):
        load_corpus(write(tmp_path, "other.xml", "<corpus><article/></corpus>"))


def test_offset_mismatches_are_counted_and_realigned(tmp_path: Path) -> None:
    # TR-News has articles whose offsets are a few characters late.
    path = write(tmp_path, "TR.xml", lgl_corpus((TEXT, [
        lgl_toponym("Aleppo", TEXT.index("Aleppo") + 2, *ALEPPO[1:]),
        lgl_toponym("Moscow", TEXT.index("Moscow"), *MOSCOW[1:]),
    ])))
    (article,) = load_corpus(path)
    assert article.offset_mismatches() == 1
    assert aligned_span(article.text, article.toponyms[0]) == ((18, 24), True)
    assert aligned_span(article.text, article.toponyms[1]) == ((29, 35), False)
    report = evaluate(path)
    assert report.offset_mismatches == 1
    assert report.realigned == 1
    assert report.detection[1].recall == 1.0


def test_offsets_past_the_end_or_negative_do_not_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "GWN.xml", gwn_corpus((TEXT, [
        gwn_toponym("American", -139, "Non_Literal_Modifier"),
        gwn_toponym("Texas", 500, "Literal"),
    ])))
    assert load_corpus(path)[0].offset_mismatches() == 2
    assert evaluate(path).offset_mismatches == 2


# -- scoring -----------------------------------------------------------------------------
def test_perfect_reading_of_aleppo_and_moscow_on_gwn(tmp_path: Path) -> None:
    report = evaluate(gwn_aleppo_moscow(tmp_path))
    assert isinstance(report, Report)
    assert (report.articles, report.failed, report.gold_toponyms) == (1, 0, 2)
    headline = report.detection[0]
    assert headline.recall == 1.0
    assert headline.precision == 1.0
    assert headline.f1 == 1.0
    assert report.metonymy is not None
    assert report.metonymy.accuracy == 1.0
    assert report.metonymy.n == 2
    assert report.metonymy.baseline == 0.5
    assert report.resolution.pairs == 2
    assert report.resolution.share_within(161.0) == 1.0
    assert report.resolution.geonames_rate == 1.0
    assert report.counted_types == ("Literal", "Metonymic")
    assert dict(report.gold_types) == {"Literal": 1, "Metonymic": 1}
    assert report.false_negatives == ()
    assert report.false_positives == ()
    assert report.role_errors == ()


def test_lgl_schema_counts_location_roles_and_every_role(tmp_path: Path) -> None:
    report = evaluate(lgl_aleppo_moscow(tmp_path))
    literal, every = report.detection
    assert literal.label == "location+dateline"
    # "Moscow said" is read as an actor, which TR-News and LGL count as a toponym.
    assert (literal.gold, literal.predicted, literal.matched) == (2, 1, 1)
    assert literal.precision == 1.0
    assert literal.recall == 0.5
    assert every.recall == 1.0
    assert report.metonymy is None
    assert report.role_errors == (("Moscow (read actor)", 1),)
    assert report.resolution.share_within(1.0) == 1.0


def test_mentions_on_uncounted_gwn_types_are_ignored_not_false(tmp_path: Path) -> None:
    text = TEXT + " Washington Irving agreed."
    path = write(tmp_path, "GWN.xml", gwn_corpus((text, [
        gwn_toponym("Aleppo", TEXT.index("Aleppo"), "Literal", *ALEPPO[1:]),
        gwn_toponym("Moscow", TEXT.index("Moscow"), "Mixed", *MOSCOW[1:]),
        gwn_toponym("Washington", text.index("Washington"), "Homonym"),
    ])))
    report = evaluate(path)
    assert report.counted_types == ("Literal", "Homonym")
    assert dict(report.gold_types) == {"Literal": 1, "Mixed": 1, "Homonym": 1}
    headline, _literal_roles, every = report.detection
    assert headline.gold == 2  # Mixed is not counted
    # The reader finds "Moscow": it matches only an uncounted type, so it is left out.
    assert headline.ignored == 1
    assert headline.predicted == report.predicted - 1
    assert every.gold == 3
    assert every.ignored == 0
    assert {kind: (m, g) for kind, m, g in report.recall_by_type}["Mixed"] == (1, 1)
    assert "Moscow" not in dict(report.false_negatives)


def test_failing_articles_are_counted_and_skipped(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import geoaleppo.reader

    real = geoaleppo.reader.read_text

    def flaky(text: str, **kwargs):
        if "explode" in text:
            raise RuntimeError("boom")
        return real(text, **kwargs)

    monkeypatch.setattr(geoaleppo.reader, "read_text", flaky)
    bad = "This will explode in Aleppo."
    path = write(tmp_path, "LGL.xml", lgl_corpus(
        (bad, [lgl_toponym("Aleppo", bad.index("Aleppo"), *ALEPPO[1:])]),
        (TEXT, [lgl_toponym("Aleppo", 18, *ALEPPO[1:])]),
    ))
    report = evaluate(path)
    assert report.failed == 1
    assert report.failed_gold_toponyms == 1
    assert report.articles == 1
    assert report.gold_toponyms == 1
    assert "RuntimeError: boom" in report.failures[0]
    assert report.detection[0].recall == 1.0


def test_limit_and_progress(tmp_path: Path) -> None:
    toponyms = [lgl_toponym("Aleppo", 18, *ALEPPO[1:])]
    path = write(tmp_path, "LGL.xml", lgl_corpus(*[(TEXT, toponyms)] * 4))
    seen: list[tuple[int, int]] = []
    report = evaluate(path, limit=3, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert report.articles == 3
    assert evaluate(path, limit=0).articles == 0


def test_report_table_and_json(tmp_path: Path) -> None:
    path = gwn_aleppo_moscow(tmp_path)
    first, second = evaluate(path), evaluate(path)
    data = json.loads(json.dumps(first.to_json()))
    assert data["detection"][0]["recall"] == 1.0
    assert data["resolution"]["within_km"]["161"] == 1.0
    assert data["metonymy"]["accuracy"] == 1.0

    def stable(table: str) -> list[str]:
        return [line for line in table.splitlines()
                if not line.startswith(("seconds elapsed", "articles/s"))]

    table = first.table()
    assert stable(table) == stable(second.table())
    assert len(stable(table)) == len(table.splitlines()) - 2
    lines = table.splitlines()
    assert lines[0] == "GWN.xml"
    value_column = lines[1].index("value")
    assert all(len(line) >= value_column for line in lines[2:])
    assert any(line.startswith("literal/metonymic accuracy") for line in lines)
    assert "false negatives" in first.error_lists()


def test_match_spans_is_one_to_one_greatest_overlap_first() -> None:
    gold = [(0, 6), (8, 13)]  # "Aleppo", "Syria" in "Aleppo, Syria"
    assert match_spans(gold, [(0, 13)]) == {0: 0}
    assert match_spans(gold, [(0, 13), (8, 13)]) == {0: 0, 1: 1}
    assert match_spans(gold, [(2, 4), (0, 6)]) == {1: 0}
    assert match_spans(gold, [(6, 8)]) == {}


# -- the real corpus ---------------------------------------------------------------------
def test_first_articles_of_real_tr_news_score_in_range() -> None:
    path = eval_dir() / "TR-News.xml"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    report = evaluate(path, limit=5)
    assert report.articles + report.failed == 5
    assert report.gold_toponyms > 0
    assert report.predicted > 0
    for detection in report.detection:
        for value in (detection.precision, detection.recall, detection.f1):
            assert value is not None
            assert 0.0 <= value <= 1.0
    resolution = report.resolution
    shares = [resolution.share_within(km) for km, _n in resolution.within]
    assert all(share is None or 0.0 <= share <= 1.0 for share in shares)
    assert shares == sorted(shares)
    assert resolution.geonames_rate is None or 0.0 <= resolution.geonames_rate <= 1.0
    assert report.seconds > 0
