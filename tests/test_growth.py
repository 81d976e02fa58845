"""The reader's time grows linearly with its input, whatever the input is.

Each case reads a text at two sizes, n and 8n, and compares the best of three timings:
linear growth gives a ratio near 8, quadratic growth near 64, exponential growth never
finishes (a deadline turns that into a failure instead of a hang). The limit sits well
between linear and quadratic, and a ratio over it is measured again before the test
fails, so a loaded machine does not make the tests flaky. How fast the reader is belongs
to the benchmarks (``make bench``); here only how its time grows is asserted.

The cases are the inputs that were found to be quadratic or worse (see the comments),
with the shapes scraped pages have: runs of one character, repeated short motifs, long
lines with no sentence end, long capitalised sequences, ``al-`` chains, mixed scripts.
"""

from __future__ import annotations

import gc
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoaleppo import gazetteer, mentions
from geoaleppo.reader import read_text

GAZETTEER = gazetteer.load()
GROWTH = 8
# Linear growth reads 8 or a little more (caches, memory); quadratic growth 64.
LIMIT = 24
DEADLINE_S = 30.0  # a hang guard, far above any size here: not a speed target


class _Overdue(Exception):
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def overdue(_signum: int, _frame: object) -> None:
        raise _Overdue

    previous = signal.signal(signal.SIGALRM, overdue)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _best_of_three(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        # The collector runs at moments of its own choosing, and a full collection walks
        # the whole gazetteer: not inside a timing.
        gc.disable()
        try:
            # CPU time, not wall time: on a busy machine the reader waits its turn, and
            # the wait is not its own.
            start = time.process_time()
            with _deadline(DEADLINE_S):
                run()
            best = min(best, time.process_time() - start)
        except _Overdue:
            pytest.fail(f"did not finish in {DEADLINE_S:g} s")
        finally:
            gc.enable()
    return best


def assert_linear(make: Callable[[int], Callable[[], object]], n: int) -> None:
    """Fail unless ``make(size)()`` takes well under quadratically longer at 8n than at n."""
    ratios = []
    for _round in range(2):
        small = _best_of_three(make(n))
        large = _best_of_three(make(GROWTH * n))
        ratios.append(large / max(small, 1e-6))
        if ratios[-1] < LIMIT:
            return
    pytest.fail(f"{GROWTH}x the input took {min(ratios):.0f}x the time "
                f"(linear: about {GROWTH}, quadratic: {GROWTH ** 2})")


def _reading(text_of: Callable[[int], str]) -> Callable[[int], Callable[[], object]]:
    def make(size: int) -> Callable[[], object]:
        text = text_of(size)
        return lambda: read_text(text, published="2016-12-05", gazetteer=GAZETTEER)

    return make


def _repeated(prefix: str, motif: str, suffix: str = "") -> Callable[[int], str]:
    def text_of(size: int) -> str:
        return prefix + (motif * (size // len(motif) + 1))[:size] + suffix

    return text_of


# (case, text of a size, n): n is set so the larger read takes some tens of milliseconds.
CASES: list[tuple[str, Callable[[int], str], int]] = [
    # Runs of one character. Dots were quadratic (every dot began a sentence end).
    ("dots", _repeated("", "."), 40_000),
    ("dots after a sentence", _repeated("Rebels shelled Al Shaar", ".", " Then"), 40_000),
    ("spaces", _repeated("Rebels shelled Al Shaar.", " ", "x"), 40_000),
    ("dashes", _repeated("", "-"), 40_000),
    ("apostrophes", _repeated("", "'"), 40_000),
    ("Arabic letters", _repeated("", "ح"), 40_000),
    ("capitals", _repeated("", "A"), 40_000),
    ("stops and quotes", _repeated("", '.!?"'), 30_000),
    ("digits", _repeated("", "7"), 40_000),
    # Repeated short motifs. "Ab  /" was exponential (the dateline's places).
    ("dateline motif", _repeated("", "Ab  /", "x rebels shelled Al Shaar."), 10_000),
    ("dateline places", _repeated("", "Aleppo / ", ": Rebels shelled Al Shaar."), 5_000),
    ("initials", _repeated("", "A. "), 4_000),
    ("acronyms", _repeated("", "U.S. "), 3_000),
    ("sentences", _repeated("", "Rebels shelled Al Shaar. "), 3_000),
    # Long capitalised sequences.
    ("Al Al Al", _repeated("", "Al "), 4_000),
    ("Bab Bab Bab", _repeated("", "Bab "), 5_000),
    ("names", _repeated("Shelling in ", "Bab Al Hadid "), 5_000),
    ("the Old City", _repeated("", "the Old City "), 5_000),
    # al- chains and apostrophes.
    ("al- chain", _repeated("Shelling in ", "al-", "Shaar."), 20_000),
    ("Al- chain", _repeated("Shelling in ", "Al-", "Shaar."), 20_000),
    ("apostrophe words", _repeated("Shelling in ", "Sha'ar "), 4_000),
    ("possessives", _repeated("", "Aleppo's "), 5_000),
    # Mixed scripts.
    ("Latin and Arabic", _repeated("", "Aleppo حلب "), 5_000),
    ("Arabic names", _repeated("قصف ", "الشعار "), 5_000),
    ("glued scripts", _repeated("", "aح"), 30_000),
    # Long numbers. A casualty count over 4,300 digits crashed int().
    ("a long figure", _repeated("Rebels killed ", "7", " people in Aleppo."), 20_000),
    ("a long list of figures", _repeated("Rebels killed ", "1,", " x in Aleppo."), 20_000),
    ("figures before the verb", _repeated("Rebels ", "1,", " were killed in Aleppo."), 20_000),
    # Long lines with no sentence end, each full of what one step reads.
    ("no sentence end", _repeated("", "rebels shelled the area and "), 30_000),
    ("spaces after a verb", _repeated("Rebels killed", " ", "x 7 in Aleppo."), 20_000),
    ("tabs after a verb", _repeated("Rebels killed", "\t", "x 7 in Aleppo."), 20_000),
    ("clauses", _repeated("", "shelled Al Shaar; "), 12_000),
    ("held-phrases", _repeated("Aleppo ", "rebel-held Al Shaar "), 5_000),
    ("between and", _repeated("Shelling ", "between Al Shaar and the citadel "), 5_000),
    ("stretching to", _repeated("Shelling in Al Shaar ",
                                "stretching north from there to Al Shaar "), 10_000),
    ("side phrases", _repeated("Aleppo ", "rebel-held areas and government-held areas "),
     5_000),
    ("hospitals", _repeated("", "the hospital Aleppo Eye Hospital "), 20_000),
    ("journalists in", _repeated("Rebels shelled Al Shaar ", "journalists in ", "x."), 5_000),
    ("captures", _repeated("", "rebels took Al Shaar "), 5_000),
    ("sides before a source", _repeated("Rebels shelled Al Shaar ", "rebels ",
                                        ", the army said."), 5_000),
    ("unclosed quotations", _repeated("rebels would shell Al Shaar ", "“a "), 5_000),
    ("a list of places", _repeated("backed by Russia", " ", "x Iran."), 40_000),
    ("a long token before a city", lambda size: "x " + "1" * size + " Paris said.", 30_000),
]


@pytest.mark.parametrize(("text_of", "n"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_reading_time_grows_linearly(text_of: Callable[[int], str], n: int) -> None:
    assert_linear(_reading(text_of), n)


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["", "Rebels shelled Al Shaar ", "Rebels killed ", "in ", "Aleppo: "]),
    st.text(alphabet=" .,;:-'’\"“()/!?Aab1\tحال", min_size=1, max_size=5),
)
def test_any_repeated_motif_reads_in_linear_time(prefix: str, motif: str) -> None:
    assert_linear(_reading(_repeated(prefix, motif, ".")), 5_000)


def _lower_case_look_ups(size: int) -> Callable[[], object]:
    # A text that names thousands of towns asks of thousands of words whether the text
    # also has them in lower case; each was a find over the whole text.
    words = [_word(number) for number in range(size)]
    text = " ".join(words[::2])

    def ask() -> list[bool]:
        lower_case = mentions._LowerCaseWords(text)  # a new one each time: it remembers
        return [word in lower_case for word in words]

    return ask


def _word(number: int) -> str:
    letters = []
    while True:
        number, digit = divmod(number, 26)
        letters.append(chr(ord("a") + digit))
        if not number:
            return "w" + "".join(letters)


def test_lower_case_look_ups_grow_linearly() -> None:
    assert_linear(_lower_case_look_ups, 2_000)
