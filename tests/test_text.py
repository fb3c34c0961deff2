"""The text helpers against what they stand for: fold() against its rule, shape checks against patterns."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

import tokyotech_partners as ttp
from tokyotech_partners._text import digits, fold, is_slug

_SPELT = {"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th"}


def _reference(text: str) -> str:
    """The rule written out plainly: casefold, decompose, drop marks, spell, drop stops and apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(_SPELT.get(c, c) for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", re.sub(r"[.'\u2019`]", "", bare)).strip()


@given(st.text())
@example("  École Polytechnique Fédérale, de Lausanne ")
@example("M.I.T. King Mongkut's Paris-Saclay Łódź Straße Ørsted ÆØÅ þ 清华大学 МИФИ")
@example("a_b\tc\u00a0d\u2019e")
def test_fold_follows_its_rule_on_any_text(text: str) -> None:
    assert fold(text) == _reference(text)


@given(st.text(st.characters(max_codepoint=127)))
@example("".join(f"x{chr(code)}Y " for code in range(128)))  # each ASCII character between letters
def test_fold_follows_its_rule_on_any_ascii_text(text: str) -> None:
    assert fold(text) == _reference(text)


def test_fold_follows_its_rule_on_every_name_in_the_data() -> None:
    ds = ttp.load()
    texts = [t for i in ds.institutions for t in (i.id, i.name, *i.aliases, *i.former_names, *i.common_names)]
    texts += [t for c in ds.countries for t in (c.name, c.iso_name, *c.labels, *c.aliases)]
    assert sum(not t.isascii() for t in texts) > 50  # both of fold's paths are exercised
    assert [fold(t) for t in texts] == [_reference(t) for t in texts]


# The load's shape checks are str methods; each is compared with the pattern it stands for.
_SHAPE_TEXT = st.text(st.sampled_from("09az-.AZ٢²_ \n")) | st.text()


@given(_SHAPE_TEXT)
@example("0")
@example("٢")
def test_digits_is_the_pattern_0_9_plus(text: str) -> None:
    assert digits(text) == bool(re.fullmatch(r"[0-9]+", text))


@given(_SHAPE_TEXT)
@example("tokyo-university-of-science")
@example("a--b")
@example("-a")
@example("a-")
@example("")
@example("K")
def test_is_slug_is_the_slug_pattern(text: str) -> None:
    assert is_slug(text) == bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text))


@given(_SHAPE_TEXT | st.dates().map(str) | st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
@example("2021-05-01")
@example("2021-02-30")
@example("20210501")
@example("2021-W01-1")
@example("٢٠٢١-05-01")
def test_the_fast_date_takes_what_the_converter_takes(text: str) -> None:
    from tokyotech_partners._converter import converter
    from tokyotech_partners._structurers import _date

    try:
        expected: dt.date | None = converter.structure(text, dt.date)
    except Exception:  # noqa: BLE001 -- any refusal by the converter
        expected = None
    assert _date(text) == expected


@given(_SHAPE_TEXT | st.from_regex(r"[0-9]{1,4}\.[0-9]{0,2}", fullmatch=True))
@example("37.3")
@example("100.0")
@example("1000.0")
@example(".5")
@example("5.")
@example("٣.٥")
def test_the_fast_percent_takes_what_the_converter_takes(text: str) -> None:
    from tokyotech_partners._converter import converter
    from tokyotech_partners._structurers import _percent

    try:
        expected: Decimal | None = converter.structure(text, Decimal)
    except Exception:  # noqa: BLE001 -- any refusal by the converter
        expected = None
    assert _percent(text) == expected


@given(_SHAPE_TEXT | st.from_regex(r"[0-9]{3,5}\.[0-9]{0,2}", fullmatch=True))
@example("2021.3")
@example("2021.")
@example("2021.3.1")
@example("٢٠٢١.3")
def test_the_data_version_check_is_its_pattern(text: str) -> None:
    from tokyotech_partners._check import _data_version

    assert _data_version(text) == bool(re.fullmatch(r"[0-9]{4}\.[0-9]+", text))
