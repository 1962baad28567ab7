"""Reads of people that more than one page or endpoint share."""

from django.core.exceptions import EmptyResultSet
from django.db import connection

from core import search
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


# Candidate searches compiled once for each reader, nation, excluded record, number of terms
# and CANDIDATES, with stand-in terms that each search's own replace: building two or three
# searches through the ORM took 0.5 ms a request, more than the database took to answer them.
_COMPILED = {}
_COMPILED_KEPT = 2048


def _sharing(user, nation, exclude, terms):
    """(id, name_ar, name_en) of up to CANDIDATES people the user may see, of `nation` if given,
    but `exclude`, whose records hold every one of `terms` (whole words: a name's words, or its
    keys after KEY_MARK)."""
    vendor = connection.vendor
    groups, match = search.whole_words_match([[term] for term in terms], vendor)
    if len(groups) != len(terms):  # a term that cleaning empties: searched as the ORM writes it
        found = search.match_groups(_people(user, nation, exclude), [[term] for term in terms])
        return list(found.order_by().values_list("pk", *NAMES)[:CANDIDATES])
    reader = (user.pk, getattr(user, "role", ""), user.is_active, user.is_superuser, getattr(user, "nation_id", None))
    key = (connection.alias, reader, getattr(nation, "pk", None), exclude, len(terms), CANDIDATES)
    compiled = _COMPILED.get(key)
    if compiled is None:
        stand_in = [(f"zzstandin{i}", False) for i in range(len(terms))]
        people = _people(user, nation, exclude)
        found = search.match_groups(people, [[term] for term in stand_in]).order_by()
        try:
            sql, params = found.values_list("pk", *NAMES)[:CANDIDATES].query.get_compiler(connection.alias).as_sql()
        except EmptyResultSet:  # the reader sees nobody
            return []
        compiled = (sql, tuple(params), search.whole_words_match([[term] for term in stand_in], vendor)[1])
        if len(_COMPILED) >= _COMPILED_KEPT:
            _COMPILED.clear()
        _COMPILED[key] = compiled
    sql, params, stand_in_match = compiled
    if vendor == "postgresql":  # the tsquery is written into the statement (core.search._pg_query)
        sql = sql.replace(stand_in_match, match)
    else:
        params = [match if param == stand_in_match else param for param in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _people(user, nation, exclude):
    people = Person.objects.visible_to(user)
    if nation is not None:
        people = people.filter(nation=nation)
    if exclude is not None:
        people = people.exclude(pk=exclude)
    return people


def person_matches(*, user, name, nation=None, limit=10, exclude=None):
    """The people of `scored_matches`, best first, each with `score` set."""
    scored = scored_matches(user=user, name=name, nation=nation, limit=limit, exclude=exclude)
    people = Person.objects.filter(pk__in=[pk for _score, pk in scored]).select_related("nation").only(*COLUMNS)
    people = {person.pk: person for person in people}
    for score, pk in scored:
        people[pk].score = score
    return [people[pk] for _score, pk in scored]
