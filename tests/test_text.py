"""fold(), the matching key of names, against a plain reading of its rule, on any text."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

import tokyotech_partners as ttp
from tokyotech_partners._text import fold

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
