"""Reads of people that more than one page or endpoint share."""

from django.db import connection

from core import plans, search
from core.plain import Compiled
from core.visibility import marked, stand_in, visibility_key
from people import matching
from people.models import KEY_MARK, Person, name_words

# How many records sharing a name's keys are scored. A person who shares every key comes first;
# the looser search (first and last keys only) fills up to this many.
CANDIDATES = 150
# What a match shows of a person and their nation.
COLUMNS = ["name_ar", "name_en", "rank", "position", "organization", "email", "phone", "language", "nation"]
COLUMNS += ["nation__code", "nation__name_en", "nation__name_ar"]
NAMES = ["name_ar", "name_en"]


def matches_for_names(*, user, names, nation=None, limit=10, exclude=None):
    """`person_matches` for several names of one person (Arabic and Latin, say): each match
    once, with its best score, best first."""
    found = {}
    for name in names:
        for match in person_matches(user=user, name=name or "", nation=nation, limit=limit, exclude=exclude):
            if match.pk not in found or found[match.pk].score < match.score:
                found[match.pk] = match
    return sorted(found.values(), key=lambda p: (-p.score, p.pk))[:limit]


def scored_matches(*, user, name, nation=None, limit=10, exclude=None):
    """[(score, id)] of the people the user may see who may be the person named `name`, best
    first. Candidates come from the index (their names read as values: building 150 model
    instances cost as much as scoring them), then the matcher scores them."""
    keys = matching.name_keys(name)
    if not keys:
        return []
    # The same spelling first (a common name has hundreds of namesakes by sound alone), then the
    # same sound, then the same sound with a middle name added or missing, or a first name apart.
    words = name_words(name)
    searches = [[(word, False) for word in words]] if words else []
    searches.append([(KEY_MARK + key, False) for key in keys])
    ends = list(dict.fromkeys([keys[0], keys[-1]]))
    if ends != keys:
        searches.append([(KEY_MARK + key, False) for key in ends])
    if len(keys) > 2:
        searches.append([(KEY_MARK + key, False) for key in keys[1:]])
    candidates = {}
    for terms in searches:
        wanted = CANDIDATES - len(candidates)
        if wanted <= 0:
            break
        # Those already found are skipped here rather than excluded in SQL: a NOT IN list of a
        # hundred ids cost more to build than the rows it saves reading. Each search reads up to
        # CANDIDATES rows (the wanted ones and as many as may be found again).
        for pk, name_ar, name_en in _sharing(user, nation, exclude, terms):
            if pk not in candidates and wanted > 0:
                candidates[pk] = (name_ar, name_en)
                wanted -= 1
    scored = []
    for pk, (name_ar, name_en) in candidates.items():
        score = round(matching.person_score(name, name_ar, name_en), 3)
        if score >= matching.THRESHOLD:
            scored.append((score, pk))
    scored.sort(key=lambda match: (-match[0], match[1]))
    return scored[:limit]


def _candidates_of(reading, match):
    """Up to CANDIDATES (id, name_ar, name_en) of the people a reader sees, of a nation if given,
    but one excluded, whose records hold the whole words of `match` (see _candidate_reads)."""
    user, nation_id, exclude, _size = reading
    people = Person.objects.visible_to(user)
    if nation_id is not None:
        people = people.filter(nation_id=nation_id)
    if exclude is not None:
        people = people.exclude(pk=exclude)
    return search.whole_words(people, match).order_by().values_list("pk", *NAMES)[:CANDIDATES]


# Candidate searches built once for each kind of reader, nation, excluded record and number of
# candidates, their words a value: building two or three searches through the ORM took 0.5 ms a
# request, more than the database took to answer them.
_candidate_reads = Compiled(
    _candidates_of,
    values=1,
    key=lambda reading: (visibility_key(reading[0]), *reading[1:]),
    stand_in=lambda reading: (stand_in(reading[0]), *reading[1:]),
    marked=lambda reading: marked(reading[0]),
)


def _sharing(user, nation, exclude, terms):
    """(id, name_ar, name_en) of up to CANDIDATES people the user may see, of `nation` if given,
    but `exclude`, whose records hold every one of `terms` (whole words: a name's words, or its
    keys after KEY_MARK)."""
    match = search.whole_words_match([[term] for term in terms], connection.vendor)
    if match is None:
        return []
    with plans.for_values():
        return _candidate_reads.rows((user, getattr(nation, "pk", None), exclude, CANDIDATES), match)


def person_matches(*, user, name, nation=None, limit=10, exclude=None):
    """The people of `scored_matches`, best first, each with `score` set."""
    scored = scored_matches(user=user, name=name, nation=nation, limit=limit, exclude=exclude)
    people = Person.objects.filter(pk__in=[pk for _score, pk in scored]).select_related("nation").only(*COLUMNS)
    people = {person.pk: person for person in people}
    for score, pk in scored:
        people[pk].score = score
    return [people[pk] for _score, pk in scored]
