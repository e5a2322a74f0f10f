"""Free text into filters: ``q`` on the timeline endpoints, and the search box's suggestions.

Words are matched against tag names (places and colours are tags too), people's names, camera
makes and models and lens names; month and year names become date filters ("july", "2019",
"july 2019"). A word must match something for a photo to be found (words are ANDed), and a word
matches a name when one of the name's words starts with it, so "cat" finds "cat" and "Egyptian
cat" but not "scatter". A tag also brings in its descendants ("animal" finds the cats).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from photonix.classifiers.models import PhotoTag, Tag
from photonix.core.models import User
from photonix.library.browse import people, terms
from photonix.library.browse.visibility import visible_photos
from photonix.library.browse.wordnet import wordnet
from photonix.library.browse.words import TYPO_MIN, deletions, one_edit, split
from photonix.library.models import Camera, Lens, LibraryMember, Photo, PhotoFile, SearchTerm

SHOWN_VERDICTS = (PhotoTag.Verdict.AUTO, PhotoTag.Verdict.ADDED, PhotoTag.Verdict.CONFIRMED)

MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    MONTHS[calendar.month_name[_number].lower()] = _number
    MONTHS[calendar.month_abbr[_number].lower()] = _number
MONTHS["sept"] = 9

# Words that join others in a sentence but name nothing ("cats in paris").
STOPWORDS = frozenset({"a", "an", "and", "at", "from", "in", "of", "on", "the", "with"})
FIRST_YEAR, LAST_YEAR = 1826, 2200  # the oldest surviving photograph; well past any camera clock
MAX_WORDS = 8
#: Characters of free text read at most (the rest is ignored, not refused).
QUERY_CHARS = 1000
SUGGESTIONS = 10


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    months: list[int] = field(default_factory=list)


def parse_query(text: str) -> ParsedQuery:
    """Split free text into name words, years and months (folded, order kept).

    Words are split as names are (``words.split``): "sea-coast" is "sea" and "coast", and
    "Benátky" is "benatky".
    """
    parsed = ParsedQuery()
    for token in split(text[:QUERY_CHARS])[: MAX_WORDS * 2]:
        if token in STOPWORDS:
            continue
        if token.isdigit() and len(token) == 4 and FIRST_YEAR <= int(token) <= LAST_YEAR:
            if int(token) not in parsed.years:
                parsed.years.append(int(token))
        elif token in MONTHS:
            if MONTHS[token] not in parsed.months:
                parsed.months.append(MONTHS[token])
        elif token not in parsed.words and len(parsed.words) < MAX_WORDS:
            parsed.words.append(token)
    return parsed


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def date_q(parsed: ParsedQuery) -> Q:
    """Photos taken in any of the years (and any of the months), on the local date taken."""
    if parsed.years:
        spans: list[tuple[dt.date, dt.date]] = []
        for year in parsed.years:
            if parsed.months:
                spans += [month_range(year, month) for month in parsed.months]
            else:
                spans.append((dt.date(year, 1, 1), dt.date(year, 12, 31)))
        q = Q()
        for first, last in spans:
            q |= Q(
                taken_local__gte=_utc(first),
                taken_local__lt=_utc(last + dt.timedelta(days=1)),
            )
        return q
    if parsed.months:
        return Q(taken_local__month__in=parsed.months)
    return Q()


def _like(word: str) -> tuple[str, str]:
    """LIKE patterns for "a word of the name starts with ``word``" (wildcards escaped)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%", f"% {escaped}%"


def tag_tree_sql(seed_where: str) -> str:
    """SQL for the ids of the tags ``seed_where`` selects and all their descendants.

    A recursive CTE (SQLite and PostgreSQL both have them) keeps the whole filter one query;
    ``UNION`` rather than ``UNION ALL`` stops at tags already seen, so even a cycle ends.
    """
    table = Tag._meta.db_table
    return (
        f"WITH RECURSIVE tree(id) AS (SELECT id FROM {table} WHERE {seed_where} "  # noqa: S608
        f"UNION SELECT child.id FROM {table} child JOIN tree ON child.parent_id = tree.id) "
        "SELECT id FROM tree"
    )


def has_tag_tree(tag_id: int) -> Exists:
    """The photo carries the tag or one of its descendants (a person's rejection excluded)."""
    tree = RawSQL(tag_tree_sql("id = %s"), (tag_id,))  # noqa: S611 - values are bound
    return Exists(
        PhotoTag.objects.filter(
            photo_id=OuterRef("pk"), tag_id__in=tree, verdict__in=SHOWN_VERDICTS
        )
    )


def has_tag(tag_id: int) -> Exists:
    return Exists(
        PhotoTag.objects.filter(photo_id=OuterRef("pk"), tag_id=tag_id, verdict__in=SHOWN_VERDICTS)
    )


def photos_with_tag_tree(tag_id: int) -> QuerySet[PhotoTag, Any]:
    """The ids of the photos ``has_tag_tree`` finds, for ``id IN (…)``."""
    tree = RawSQL(tag_tree_sql("id = %s"), (tag_id,))  # noqa: S611 - values are bound
    return PhotoTag.objects.filter(tag_id__in=tree, verdict__in=SHOWN_VERDICTS).values("photo_id")


def tag_trees(tag_ids: list[int]) -> dict[int, list[int]]:
    """Each tag's id with its descendants' ids, in one query (a tag that does not exist: [])."""
    trees: dict[int, list[int]] = {tag_id: [] for tag_id in tag_ids}
    if not tag_ids:
        return trees
    table = Tag._meta.db_table
    seeds = ", ".join(["%s"] * len(tag_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE tree(root, id) AS (SELECT id, id FROM {table} "  # noqa: S608
            f"WHERE id IN ({seeds}) UNION SELECT tree.root, child.id FROM {table} child "
            "JOIN tree ON child.parent_id = tree.id) SELECT root, id FROM tree",
            tag_ids,
        )
        for root, tag_id in cursor.fetchall():
            trees[root].append(tag_id)
    return trees


def photos_with_tags(tag_ids: list[int]) -> QuerySet[PhotoTag, Any]:
    """The ids of the photos that carry one of these tags, for ``id IN (…)``.

    With the tree's ids given as values rather than as a recursive query, PostgreSQL can
    estimate how many photos carry them, and so start from those photos when they are few.
    """
    return PhotoTag.objects.filter(tag_id__in=tag_ids, verdict__in=SHOWN_VERDICTS).values(
        "photo_id"
    )


def photos_with_tag(tag_id: int) -> QuerySet[PhotoTag, Any]:
    """The ids of the photos ``has_tag`` finds, for ``id IN (…)``."""
    return PhotoTag.objects.filter(tag_id=tag_id, verdict__in=SHOWN_VERDICTS).values("photo_id")


# Words ------------------------------------------------------------------------------------

#: How strong each kind of match is: the order of ``ranked`` results (lower first).
LEVELS: dict[str, int] = {
    "word": 0,
    "prefix": 1,
    "synonym": 2,
    "narrower": 3,
    "broader": 3,
    "related": 3,
    "typo": 4,
}
#: Matches used only when a word has no closer one (see ``match_word``).
LOOSE = frozenset({"broader", "related"})
#: The ``ranked`` tiers: each takes in the matches of its level and the stronger ones.
TIERS = ("word", "prefix", "synonym", "related", "typo")
#: Fields whose whole names WordNet's related words are looked up in (not people, cameras,
#: lenses or files: "frank" is no hot dog; nor colours: a "grey" horse is no grey photo).
EXPANDED_FIELDS = (SearchTerm.Field.TAG, SearchTerm.Field.PLACE, SearchTerm.Field.ALBUM)
TAG_FIELDS = (SearchTerm.Field.TAG, SearchTerm.Field.PLACE, SearchTerm.Field.COLOUR)
#: Index rows read per word at most (a bound on the names one word can stand for).
CANDIDATES = 2000


@dataclass(frozen=True)
class Hit:
    """A name a word of the query matched, and how."""

    field: str
    target: int
    name: str  # the name's word (or, for a related word, the whole name) that matched
    relation: str  # a key of LEVELS

    @property
    def level(self) -> int:
        return LEVELS[self.relation]


@dataclass
class WordMatch:
    """What one word of the query matched."""

    word: str
    #: the word itself and the singulars it may be the plural of: whole-word keys
    forms: list[str]
    hits: list[Hit]


def _terms(condition: Q, libraries: QuerySet[Any] | None) -> QuerySet[SearchTerm]:
    rows = SearchTerm.objects.filter(condition)
    if libraries is not None:
        rows = rows.filter(Q(library_id__in=libraries) | Q(library_id__isnull=True))
    return rows


def match_word(word: str, libraries: QuerySet[Any] | None = None) -> WordMatch:
    """The names ``word`` (folded) matches, through the search index (``browse.terms``).

    The word itself and its singulars as whole words of any name; as the start of a word of a
    tag, place, person or album; its WordNet synonyms and narrower words as whole tag, place or
    album names. Only when none of those matched, its broader and related words; and only when
    nothing matched, a word of a tag, place, person or album one edit away (for words of
    ``TYPO_MIN`` letters or more). Files match whole words
    only, and are left to the query itself (``file_q``): a word like "img" names every photo.
    ``libraries``: only names of these libraries (and cameras and lenses).
    """
    net = wordnet()
    forms = [word, *net.singulars(word)]
    related = {r.phrase: r.relation for r in net.expand(word) if r.phrase not in forms}
    condition = Q(kind=SearchTerm.Kind.WORD, key__in=forms) | Q(
        kind=SearchTerm.Kind.PREFIX, key=word
    )
    if related:
        condition |= Q(kind=SearchTerm.Kind.NAME, key__in=list(related), field__in=EXPANDED_FIELDS)
    rows = (
        _terms(condition, libraries)
        .exclude(field=SearchTerm.Field.FILE)
        .values_list("field", "target", "kind", "key", "word")[:CANDIDATES]
    )
    best: dict[tuple[str, int], Hit] = {}

    def add(hit: Hit) -> None:
        key = (hit.field, hit.target)
        if key not in best or hit.level < best[key].level:
            best[key] = hit

    for field_name, target, kind, key, name in rows:
        if kind == SearchTerm.Kind.WORD:
            add(Hit(field_name, target, name, "word"))
        elif kind == SearchTerm.Kind.PREFIX:
            add(Hit(field_name, target, name, "prefix"))
        elif key in related:
            add(Hit(field_name, target, name, related[key]))
    # The looser kinds of match are fallbacks: a word that names something by itself, its
    # synonyms or its kinds ("dog": malamutes) leaves out the broader and related words (the
    # "back" of a "firedog"); only a word that matches nothing else is read as a typo.
    close = {k: h for k, h in best.items() if h.relation not in LOOSE}
    if close:
        best = close
    elif not best and len(word) >= TYPO_MIN:
        near = deletions(word)
        typos = (
            _terms(
                Q(kind=SearchTerm.Kind.TYPO, key__in=[word, *near])
                | Q(kind=SearchTerm.Kind.WORD, key__in=near),
                libraries,
            )
            .filter(field__in=terms.TYPED_FIELDS)
            .values_list("field", "target", "word")[:CANDIDATES]
        )
        for field_name, target, name in typos:
            if one_edit(word, name):
                add(Hit(field_name, target, name, "typo"))
    hits = sorted(best.values(), key=lambda h: (h.level, h.name, h.field, h.target))
    return WordMatch(word, forms, hits)


def hits_q(
    match: WordMatch, level: int = LEVELS["typo"], trees: dict[int, list[int]] | None = None
) -> Q:
    """Photos ``match`` finds through its hits of ``level`` or stronger, and its file words.

    One ``pk IN (…)`` of the union of the photo ids each kind of hit names, each read through
    its own index (the tag trees worked out first, in one query), so that the database starts
    from the matching photos rather than testing an OR of lookups on every photo of the
    timeline. ``trees``: the ids under each tag of the hits, read beforehand (``match_trees``).
    """
    return Q(pk__in=hit_photos(match, level, trees))


def match_trees(matches: list[WordMatch]) -> dict[int, list[int]]:
    """The ids under each tag these words matched (not by a broader word), in one query."""
    return tag_trees(
        sorted(
            {
                hit.target
                for match in matches
                for hit in match.hits
                if hit.field in TAG_FIELDS and hit.relation != "broader"
            }
        )
    )


def hit_photos(
    match: WordMatch, level: int = LEVELS["typo"], trees: dict[int, list[int]] | None = None
) -> QuerySet[Any, Any]:
    """The ids of the photos ``hits_q`` finds: one query, a union of non-correlated selects."""
    by_field: dict[str, list[int]] = {}
    broader: list[int] = []  # tags found by a broader word: themselves, not what is under them
    for hit in match.hits:
        if hit.level > level:
            continue
        if hit.relation == "broader" and hit.field in TAG_FIELDS:
            broader.append(hit.target)
        else:
            by_field.setdefault(hit.field, []).append(hit.target)
    parts: list[QuerySet[Any, Any]] = []
    tag_ids = [t for f in TAG_FIELDS for t in by_field.get(f, [])]
    # the tags and everything under them: "pet" finds the cats under "cat"
    if trees is None:
        trees = tag_trees(sorted(set(tag_ids)))
    tree = {t for tag_id in tag_ids for t in trees.get(tag_id, [])}
    tree.update(broader)
    if tree:
        parts.append(photos_with_tags(sorted(tree)))
    if by_field.get(SearchTerm.Field.CAMERA):
        cameras = by_field[SearchTerm.Field.CAMERA]
        parts.append(Photo.objects.filter(camera_id__in=cameras).values("pk"))
    if by_field.get(SearchTerm.Field.LENS):
        lenses = by_field[SearchTerm.Field.LENS]
        parts.append(Photo.objects.filter(lens_id__in=lenses).values("pk"))
    if by_field.get(SearchTerm.Field.PERSON):
        shown = people.photos_of_people(by_field[SearchTerm.Field.PERSON])
        if shown is not None:
            parts.append(shown)
    if by_field.get(SearchTerm.Field.ALBUM):
        in_album = _album_photos(by_field[SearchTerm.Field.ALBUM])
        if in_album is not None:
            parts.append(in_album)
    files = SearchTerm.objects.filter(
        field=SearchTerm.Field.FILE, kind=SearchTerm.Kind.WORD, key__in=match.forms
    ).values("target")
    return files.union(*parts) if parts else files


def _album_photos(album_ids: list[int]) -> QuerySet[Any, Any] | None:
    """The ids of the photos in these albums (None when the albums app is not installed)."""
    if not apps.is_installed("photonix.albums"):
        return None
    entry = apps.get_model("albums", "AlbumPhoto")
    return entry._default_manager.filter(album_id__in=album_ids).values("photo_id")


def word_q(word: str) -> Q:
    """Photos one word of free text finds, by any kind of name."""
    return hits_q(match_word(word))


def query_q(text: str) -> Q:
    """The filter the free text ``q`` stands for."""
    parsed = parse_query(text)
    q = date_q(parsed)
    matches = [match_word(word) for word in parsed.words]
    trees = match_trees(matches)
    for match in matches:
        q &= hits_q(match, trees=trees)
    return q


def explain(user: User, text: str, limit: int = 100) -> dict[str, Any]:
    """What the free text matched, word by word, and the photos it finds ranked by match.

    Photos are ranked by the weakest of their words' best matches — a whole word, then a
    prefix, a synonym, a broader, narrower or related word, a typo — and newest first within
    each rank. Each rank is one query that stops at ``limit``.
    """
    parsed = parse_query(text)
    libraries = _member_libraries(user)
    matches = [match_word(word, libraries) for word in parsed.words]
    words = [
        {
            "word": m.word,
            "matches": [
                {"name": h.name, "field": h.field, "relation": h.relation}
                for h in _distinct_names(m.hits)
            ],
        }
        for m in matches
    ]
    # Archived photos are found too: the archive only keeps them off the timeline.
    base = visible_photos(user).filter(date_q(parsed))
    trees = match_trees(matches)
    results: list[dict[str, Any]] = []
    if parsed.words or parsed.years or parsed.months:
        seen: set[int] = set()
        for tier in TIERS:
            level = LEVELS[tier]
            # (file names match whole words: the first rank is always asked)
            if tier != "word" and not any(h.level == level for m in matches for h in m.hits):
                continue
            q = Q()
            for match in matches:
                q &= hits_q(match, level, trees)
            ids = (
                base.filter(q)
                .exclude(pk__in=list(seen))
                .order_by("-taken_local", "-pk")
                .values_list("pk", flat=True)[: limit - len(results)]
            )
            for pk in ids:
                seen.add(pk)
                results.append({"id": pk, "match": tier})
            if len(results) >= limit or not matches:
                break
    return {"words": words, "results": results}


def _distinct_names(hits: list[Hit]) -> list[Hit]:
    """One hit per name, field and relation (several tags of one name in several libraries)."""
    seen: set[tuple[str, str, str]] = set()
    out: list[Hit] = []
    for hit in hits:
        key = (hit.name, hit.field, hit.relation)
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return out[:20]


# Suggestions ------------------------------------------------------------------------------


def _name_match(field_name: str, text: str) -> Q:
    return Q(**{f"{field_name}__istartswith": text}) | Q(**{f"{field_name}__icontains": f" {text}"})


def _member_libraries(user: User) -> QuerySet[LibraryMember, Any]:
    return LibraryMember.objects.filter(user=user).values("library_id")


def _visible_photos(user: User) -> QuerySet[Photo]:
    return Photo.objects.filter(
        library_id__in=_member_libraries(user),
        preferred_file__state=PhotoFile.State.OK,
        trashed_at__isnull=True,
    )


def _date_suggestions(user: User, text: str) -> list[dict[str, Any]]:
    parsed = parse_query(text)
    lowered = text.strip().lower()
    months = sorted(
        {n for name, n in MONTHS.items() if name.startswith(lowered.split(" ")[0])}
        if lowered and not lowered[0].isdigit()
        else set()
    )
    if parsed.months:
        months = parsed.months
    years_typed = [t for t in re.findall(r"\d+", lowered) if len(t) <= 4]
    if not months and not years_typed:
        return []
    span = (
        visible_photos(user)
        .filter(hidden=False)
        .aggregate(first=Min("taken_local"), last=Max("taken_local"))
    )
    if span["first"] is None:
        return []
    first_day, last_day = span["first"].date(), span["last"].date()
    years = range(last_day.year, first_day.year - 1, -1)
    if years_typed:
        years = [y for y in years if str(y).startswith(years_typed[0])]  # type: ignore[assignment]
    out: list[dict[str, Any]] = []
    if months:
        for year in years:
            for month in months:
                first, last = month_range(year, month)
                if last < first_day or first > last_day:
                    continue
                out.append(
                    {
                        "kind": "month",
                        "label": f"{calendar.month_name[month]} {year}",
                        "params": {"date_from": first.isoformat(), "date_to": last.isoformat()},
                    }
                )
    else:
        out += [
            {
                "kind": "year",
                "label": str(year),
                "params": {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"},
            }
            for year in years
        ]
    return out[:SUGGESTIONS]


def _name_suggestions(user: User, text: str) -> list[dict[str, Any]]:
    """Tags, places, people, cameras and lenses named like ``text``, best first."""
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, label: str, params: dict[str, Any]) -> None:
        if (kind, label.lower()) not in seen:
            seen.add((kind, label.lower()))
            found.append({"kind": kind, "label": label, "params": params})

    named = _name_match("name", text)
    folded = split(text)
    if len(folded) == 1:
        # accents optional: "benat" suggests "Benátky nad Jizerou"
        named |= Q(
            pk__in=SearchTerm.objects.filter(
                field__in=TAG_FIELDS,
                kind__in=(SearchTerm.Kind.WORD, SearchTerm.Kind.PREFIX),
                key=folded[0],
            ).values("target")
        )
    tags = (
        Tag.objects.filter(library_id__in=_member_libraries(user))
        .filter(named)
        .filter(Exists(PhotoTag.objects.filter(tag_id=OuterRef("pk"), verdict__in=SHOWN_VERDICTS)))
        .order_by("name", "pk")
        .values_list("pk", "type", "name")[: SUGGESTIONS * 2]
    )
    starts = sorted(tags, key=lambda t: (not t[2].lower().startswith(text.lower()), len(t[2])))
    for pk, tag_type, name in starts:
        if tag_type == "place":
            add("place", name, {"place": pk})
        else:
            add("tag", name, {"tag": pk})
    for pk, name in people.suggest(user, text, SUGGESTIONS):
        add("person", name, {"person": pk})
    photos = _visible_photos(user)
    # The make and the model together, as the camera is shown: "canon eos" and "Nikon D750"
    # find it as well as "eos" or "d750" alone.
    cameras = (
        Camera.objects.annotate(full=Concat("make", Value(" "), "model"))
        .filter(_name_match("full", text), pk__in=photos.values("camera_id"))
        .order_by("make", "model")
        .values_list("pk", "make", "model")[:SUGGESTIONS]
    )
    for pk, make, model in cameras:
        add("camera", f"{make} {model}".strip(), {"camera": pk})
    lenses = (
        Lens.objects.filter(_name_match("name", text), pk__in=photos.values("lens_id"))
        .order_by("name")
        .values_list("pk", "name")[:SUGGESTIONS]
    )
    for pk, name in lenses:
        add("lens", name, {"lens": pk})
    return found


# Filters several of whose values a photo can match at once (ANDed), and every filter given
# as a list (``filters.parse_filters`` reads these with ``getlist``).
ANDED_PARAMS = ("tag", "person")
LIST_PARAMS = ("tag", "person", "camera", "lens")


def _words_suggestion(user: User, text: str) -> dict[str, Any] | None:
    """Every word of ``text`` as its own filter, together ("cat paris july 2019").

    Each word becomes the first thing it names (a tag, a place, a person, a camera, a lens);
    a year, or a month and a year, becomes the dates. None when a word names nothing, or when
    the dates are not one span (a month of any year, several years: free text does those).
    """
    parsed = parse_query(text)
    if len(parsed.words) + (1 if parsed.years or parsed.months else 0) < 2:
        return None
    params: dict[str, Any] = {}
    labels: list[str] = []
    for word in parsed.words:
        names = _name_suggestions(user, word)
        if not names:
            return None
        first = names[0]
        for key, value in first["params"].items():
            values = params.setdefault(key, [])
            if value in values:
                continue
            if values and key not in ANDED_PARAMS:
                return None  # two cameras, two places: a photo has one of each
            values.append(value)
        if first["label"] not in labels:
            labels.append(first["label"])
    # Lists stay lists (the filters' own form); a place is one id.
    params = {k: v if k in LIST_PARAMS else v[0] for k, v in params.items()}
    if parsed.years or parsed.months:
        if len(parsed.years) != 1 or len(parsed.months) > 1:
            return None
        year = parsed.years[0]
        if parsed.months:
            first_day, last_day = month_range(year, parsed.months[0])
            labels.append(f"{calendar.month_name[parsed.months[0]]} {year}")
        else:
            first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
            labels.append(str(year))
        params["date_from"], params["date_to"] = first_day.isoformat(), last_day.isoformat()
    return {"kind": "words", "label": " · ".join(labels), "params": params}


def suggest(user: User, text: str) -> list[dict[str, Any]]:
    """Up to ten things the typed text could mean, each with the filter it stands for.

    The whole text as one name (or a month, a year); when nothing is named so, and the text
    has several words, each word as its own filter, all of them together.
    """
    # NUL is no character of any name (and PostgreSQL cannot compare text holding it)
    text = " ".join(text.replace("\x00", " ").split())[:100]
    if not text:
        return []
    dates = _date_suggestions(user, text)
    found = [] if text[0].isdigit() else _name_suggestions(user, text)  # "20": a year, typed
    if not found:
        words = _words_suggestion(user, text)
        if words is not None:
            return [words, *dates][:SUGGESTIONS]
    return (dates + found)[:SUGGESTIONS]
