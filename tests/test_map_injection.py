"""Text from an article, a title, a file name or a gazetteer entry never runs as a template.

branca compiles the output of folium's script macros as Jinja templates, so a ``{{ … }}``
that reached one would run on the analyst's machine. Each payload here would create a
directory in the working directory if it were evaluated; the tests look for it on disk.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from geoaleppo import gazetteer as gz
from geoaleppo.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "maps" / "aleppo-2016-12-05.txt"


def payload(mark: str) -> str:
    """Jinja that makes the directory ``mark`` if it is ever evaluated."""
    return "{{ lipsum.__globals__.os.mkdir('" + mark + "') }}"


def statement(mark: str) -> str:
    """The same as a Jinja statement rather than an expression."""
    return "{% set _ = lipsum.__globals__.os.mkdir('" + mark + "') %}"


def run_map(*args: str, gazetteer: Path = gz.BUNDLED) -> tuple[int, str]:
    runner = CliRunner(env={"COLUMNS": "100", gz.ENV_VAR: str(gazetteer)})
    result = runner.invoke(app, ["map", *args])
    return result.exit_code, result.output


@pytest.fixture(params=[False, True], ids=["online", "offline"])
def offline(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
            ) -> bool:
    """Both kinds of map, built from inside ``tmp_path`` so a mark would land there."""
    if request.param:
        request.getfixturevalue("assets")
    monkeypatch.chdir(tmp_path)
    return request.param


def flags(offline: bool) -> list[str]:
    return ["--offline"] if offline else []


def assert_no_marks(directory: Path) -> None:
    made = sorted(p.name for p in directory.iterdir() if p.name.startswith("mark-"))
    assert made == [], f"template code ran: made {made}"


def test_article_text_and_title_are_data(tmp_path: Path, offline: bool) -> None:
    article = tmp_path / "report.txt"
    article.write_text(
        f"Rebels shelled Aleppo {payload('mark-title')} {statement('mark-title-2')}\n"
        "Monday 05/December/2016\n\n"
        f"Rebels shelled Al Shaar {payload('mark-event')} on Monday, state TV said.\n"
        f"Syrian government forces captured Karm al-Myassar {payload('mark-control')}.\n"
        f"Clashes raged near the citadel {statement('mark-mention')} on Sunday.\n",
        encoding="utf-8",
    )
    code, output = run_map(str(article), "-o", "map.html", *flags(offline))
    assert code == 0, output
    assert_no_marks(tmp_path)
    page = (tmp_path / "map.html").read_text("utf-8")
    # The payload is on the page as text (braces as character references), not run.
    assert "lipsum.__globals__.os.mkdir(&#x27;mark-event" in page


def test_title_option_is_data(tmp_path: Path, offline: bool) -> None:
    code, output = run_map(str(SEED), "-o", "map.html", "--title",
                           f"{{{{ 6*7 }}}} {payload('mark-option')}", *flags(offline))
    assert code == 0, output
    assert_no_marks(tmp_path)
    page = (tmp_path / "map.html").read_text("utf-8")
    assert "6*7" in page
    assert "<b>42</b>" not in page


def test_file_name_is_data(tmp_path: Path, offline: bool) -> None:
    article = tmp_path / f"report {payload('mark-file')}.txt"
    shutil.copy(SEED, article)
    code, output = run_map(str(article), "-o", "map.html", *flags(offline))
    assert code == 0, output
    assert_no_marks(tmp_path)


def test_gazetteer_entries_are_data(tmp_path: Path, offline: bool) -> None:
    """A hand-edited gazetteer: a district's title, note and source carry payloads."""
    copy = Path(shutil.copytree(gz.BUNDLED, tmp_path / "gaz"))
    path = copy / "aleppo-neighbourhoods.geojson"
    data = json.loads(path.read_text("utf-8"))
    for feature in data["features"]:
        if feature["id"] == "ash-shaar":
            properties = feature["properties"]
            properties["title"] = f"ash-Sha'ar {payload('mark-gaz-title')}"
            properties["note"] = statement("mark-gaz-note")
            properties["geometry_source"] = payload("mark-gaz-source")
    path.write_text(json.dumps(data), encoding="utf-8")
    code, output = run_map(str(SEED), "-o", "map.html", *flags(offline), gazetteer=copy)
    assert code == 0, output
    assert_no_marks(copy.parent)


@pytest.mark.parametrize("text", ["{#", "{% raw %}", "{{ oops", "{% endraw %} }} {#", "{{{{"])
def test_template_fragments_neither_crash_nor_vanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "odd.txt"
    article.write_text(f"{text}\n\nRebels shelled Al Shaar {text} on Monday.\n", "utf-8")
    code, output = run_map(str(article), "-o", "map.html", "--date", "2016-12-05")
    assert code == 0, output
    assert "Traceback" not in output
    page = (tmp_path / "map.html").read_text("utf-8")
    # In the popup's JSON, as escaped HTML: braces are character references.
    as_written = text.replace("{", "&#123;").replace("}", "&#125;")
    assert f"Al Shaar {as_written} on Monday" in page


@given(st.text(alphabet=st.sampled_from(list("<>/!-&\\\"'sScript {}%#")), max_size=40))
def test_map_data_cannot_leave_its_script_element(text: str) -> None:
    """Whatever an article says, the data script ends only where the page ends it, and
    it parses back to what was said."""
    from geoaleppo.maps import _script_json

    encoded = _script_json({"text": text})
    assert "</" not in encoded and "<!" not in encoded
    assert json.loads(encoded) == {"text": text}
