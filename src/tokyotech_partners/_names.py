"""Finding an institution by what a person types: one resolution rule, suggestions, ranked search.

The rule, used by every call that takes an institution's name:

1. the id, name, an alias or a name in common use, once folded (case, accents
   and punctuation ignored): one institution answers, or the name is ambiguous;
2. else the words typed as a run of whole words inside one of those names
   ("Tsinghua", "Imperial College", "TU Munich");
3. else as a run of word beginnings ("Imperial Coll", "Chalm").

Where a step finds several institutions, :class:`AmbiguousNameError` lists
them; where none finds any, :class:`InstitutionNotFoundError` suggests the
closest names and points to ``search_institutions``.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Sequence

from ._errors import AmbiguousNameError, InstitutionNotFoundError
from ._index import Index
from ._model import Institution
from ._text import fold, quote

__all__ = ["resolve_institution", "search_institutions"]

#: How much longer than the longest name a query may be before it is refused unread.
_MARGIN = 40


def _runs(words: Sequence[str], query: Sequence[str], same: Callable[[str, str], bool]) -> bool:
    """Whether ``query`` matches a contiguous run of ``words``, word by word, by ``same``."""
    span = len(query)
    return any(
        all(same(w, q) for w, q in zip(words[k : k + span], query, strict=True))
        for k in range(len(words) - span + 1)
    )


def _matching(
    index: Index, query: Sequence[str], same: Callable[[str, str], bool]
) -> tuple[Institution, ...]:
    found: dict[str, Institution] = {}
    for words, inst in index.name_words():
        if inst.id not in found and _runs(words, query, same):
            found[inst.id] = inst
    return tuple(found.values())


def _same_word(word: str, typed: str) -> bool:
    return word == typed


def _word_begins(word: str, typed: str) -> bool:
    return word.startswith(typed)


def _ambiguous(text: str, matches: tuple[Institution, ...]) -> AmbiguousNameError:
    shown = ", ".join(f"{m.name!r} ({m.id})" for m in matches[:8])
    more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
    return AmbiguousNameError(
        f"{quote(text)} names {len(matches)} institutions: {shown}{more}; give more of the name, or the id",
        matches,
    )


def resolve_institution(index: Index, text: str) -> Institution:
    """The one institution ``text`` names, by the rule of this module.

    >>> import tokyotech_partners as ttp
    >>> ds = ttp.load()
    >>> ds.lookup_institution("Tsinghua").name, ds.lookup_institution("TU Munich").id
    ('Tsinghua University', 'technical-university-of-munich')
    """
    if not isinstance(text, str):
        raise TypeError(f"an institution is named by a str, not {type(text).__name__}")
    if len(text) > index.longest_name + _MARGIN:
        raise InstitutionNotFoundError(
            f"no institution is called {quote(text)}: it is longer than any name in the dataset"
        )
    wanted = fold(text)
    steps: list[Callable[[], tuple[Institution, ...]]] = [
        lambda: index.by_name(wanted),
        lambda: _matching(index, wanted.split(), _same_word),
        lambda: _matching(index, wanted.split(), _word_begins) if len(wanted) >= 3 else (),
    ]
    for step in steps if wanted else []:
        found = step()
        if len(found) == 1:
            return found[0]
        if found:
            raise _ambiguous(text, found)
    raise InstitutionNotFoundError(
        f"no institution is called {quote(text)}; ds.search_institutions(...) ranks the closest",
        tuple(inst.name for inst in search_institutions(index, text, limit=3)),
    )


_FLOOR = 30.0  # a score below this is no match at all


def _quick_ratio(query_counts: Counter[str], query_length: int, folded: str) -> float:
    """``difflib.SequenceMatcher(None, query, folded).quick_ratio()``, without building the matcher."""
    matches = sum(min(n, query_counts[c]) for c, n in Counter(folded).items() if c in query_counts)
    return 2.0 * matches / (query_length + len(folded))


def _cheap(query: str, words: frozenset[str], folded: str, name_words: frozenset[str]) -> tuple[float, bool]:
    """The score from exact, prefix, substring and shared words, and whether it is final."""
    if folded == query:
        return 100.0, True
    if folded.startswith(query):
        return 90.0 - min(len(folded) - len(query), 30) / 10, True
    if query in folded:
        return 80.0 - min(len(folded) - len(query), 30) / 10, True
    return 60.0 * len(words & name_words) / len(words), False


def _ratio_score(query: str, folded: str) -> float:
    """50 times the similarity of the two spellings; short names count only when very alike."""
    import difflib  # only when searching: not on the import path

    ratio = difflib.SequenceMatcher(None, query, folded).ratio()
    if min(len(query), len(folded)) < 5 and ratio < 0.75:  # short names look alike by chance
        return 0.0
    return 50.0 * ratio


def _score(query: str, words: frozenset[str], folded: str) -> float:
    """How well one folded name matches the folded query: the definition of the ranking."""
    cheap, final = _cheap(query, words, folded, frozenset(folded.split()))
    return cheap if final else max(cheap, _ratio_score(query, folded))


def _check_search_arguments(text: object, limit: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"search_institutions takes a str, not {type(text).__name__}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise TypeError(f"limit must be an int or None, got {type(limit).__name__} {limit!r}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must not be negative, got {limit}")


def _ranked(
    best: dict[str, tuple[float, Institution]], index: Index, limit: int | None
) -> tuple[Institution, ...]:
    ranked = sorted(
        ((score, inst) for score, inst in best.values() if score >= _FLOOR),
        key=lambda pair: (-pair[0], index.folded_name(pair[1]), pair[1].id),
    )
    chosen = ranked if limit is None else ranked[:limit]
    return tuple(inst for _, inst in chosen)


def search_plain(index: Index, text: str, limit: int | None = 10) -> tuple[Institution, ...]:
    """:func:`search_institutions` by its definition: every name scored in full (for tests)."""
    _check_search_arguments(text, limit)
    query = fold(text)
    if not query or len(query) > 2 * index.longest_name + 64:  # no name is near it: no match
        return ()
    words = frozenset(query.split())
    best: dict[str, tuple[float, Institution]] = {}
    for folded, _, inst in index.search_names():
        score = _score(query, words, folded)
        if score > best.get(inst.id, (-1.0, inst))[0]:
            best[inst.id] = (score, inst)
    return _ranked(best, index, limit)


def search_institutions(index: Index, text: str, limit: int | None = 10) -> tuple[Institution, ...]:
    """Institutions ranked by how well a name, alias or id matches ``text``.

    The same ranking as :func:`search_plain`, computed lazily: every name gets
    its cheap score and an upper bound of its spelling similarity (the
    character counts' ratio), and the expensive similarity is computed, best
    bound first, only while a name could still enter the first ``limit``.
    """
    _check_search_arguments(text, limit)
    query = fold(text)
    if not query or len(query) > 2 * index.longest_name + 64:  # no name is near it: no match
        return ()
    words = frozenset(query.split())
    counts, length = Counter(query), len(query)
    best: dict[str, tuple[float, Institution]] = {}
    pending: list[tuple[float, str, Institution]] = []
    for folded, name_words, inst in index.search_names():
        cheap, final = _cheap(query, words, folded, name_words)
        if cheap > best.get(inst.id, (-1.0, inst))[0]:
            best[inst.id] = (cheap, inst)
        if final:
            continue
        size = len(folded)
        # the length ratio bounds the character-count ratio, which bounds the similarity
        floor = 37.5 if min(length, size) < 5 else _FLOOR  # under 0.75 a short name scores 0
        if 100.0 * min(length, size) / (length + size) < max(floor, cheap):
            continue
        bound = 50.0 * _quick_ratio(counts, length, folded)
        if bound >= floor and bound > cheap:
            pending.append((bound, folded, inst))
    pending.sort(key=lambda item: -item[0])
    threshold = _FLOOR
    for done, (bound, folded, inst) in enumerate(pending):
        if done % 64 == 0 and limit is not None:  # the limit-th best so far can only rise
            top = heapq.nlargest(limit, (score for score, _ in best.values()))
            threshold = max(_FLOOR, top[-1]) if len(top) == limit and limit else _FLOOR
        if bound < threshold:
            break
        score = _ratio_score(query, folded)
        if score > best[inst.id][0]:
            best[inst.id] = (score, inst)
    return _ranked(best, index, limit)
