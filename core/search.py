"""Full-text search over one normalised column per model, on an index.

Every searchable model has a `search_document` column holding `normalize.document()` of its
texts. SQLite indexes it with an FTS5 table kept in step by triggers; PostgreSQL with a GIN
index on its `simple` tsvector. A query is normalised the same way and each of its words must
match the start of an indexed word (a word longer than LONGEST_PREFIX letters, by its first
LONGEST_PREFIX).

A list in the index's own order (people by id; offerings, whose index on SQLite is kept in the
order of their start dates, by date) is read from the index on SQLite: it reads matches in order
and stops at a page, where filtering by a list of every match read them all first (10 ms for a
common name).
"""

import bisect
import re
import time

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, models
from django.db.models.expressions import RawSQL

from core import normalize, plain, plans

# Prefix lengths that SQLite indexes: a prefix of another length merges every word it begins
# before the first match is read (3 ms for a common word), one of these is read lazily.
PREFIXES = (2, 3, 4, 5, 6, 7, 8)
LONGEST_PREFIX = PREFIXES[-1]
# On SQLite, a model searched in the order of a date (Searchable.search_order) has index rows
# numbered day * KEY_SPAN + id, so that the index reads its matches in that order.
KEY_SPAN = 2**31
# On SQLite, a model's index holds this word for each record that lists of what is shown leave
# out (a draft offering, a merged person: see hidden_of): a search of such a list reads its
# matches from the index alone, "… NOT" this word, instead of testing each match's row. A
# private-use character: no query's words (normalize.words) ever hold one.
HIDDEN_MARK = "\ue000hidden"


def _fts_table(table):
    return f"{table}_fts"


def _key_sql(row, order_column):
    """The SQLite index row number of a table's row `row` (new, old, or an alias)."""
    if order_column is None:
        return f"{row}.id"
    return f"(CAST(julianday({row}.{order_column}) AS INTEGER) * {KEY_SPAN} + {row}.id)"


def _pk_of_rowid(model, fts=None):
    """The SQL, over an SQLite index's rowid (of `fts`, if named), of the id of the record it
    indexes. Its % is doubled: it goes into SQL with parameters."""
    rowid = f'"{fts}".rowid' if fts else "rowid"
    return rowid if model.search_order is None else f"({rowid} %% {KEY_SPAN})"


def _clean(term):
    """A term without the characters that would end or escape a quoted term (in FTS5's syntax,
    a tsquery's and the SQL literal PostgreSQL writes it in), or mark a parameter."""
    for character in "\"'\\%":
        term = term.replace(character, "")
    return term


def _cleaned(groups):
    """`groups` with their terms cleaned, without the groups left empty and without a group said
    again: a document's words are a set, so a word asked for twice narrows nothing more, and
    names repeat words ("Ibrahim Ibrahim"). Read twice, a common name's matches were intersected
    with themselves, and the search no longer counted as one word (12 to 16 ms on PostgreSQL
    for names among 450,000 people)."""
    found, seen = [], set()
    for group in groups:
        group = [(_clean(term), prefix) for term, prefix in group if _clean(term)]
        if group and frozenset(group) not in seen:
            seen.add(frozenset(group))
            found.append(group)
    return found


def _sqlite_match(groups):
    def one(term, prefix):
        return f'"{term}"*' if prefix else f'"{term}"'

    parts = []
    for group in groups:
        alternatives = [one(term, prefix) for term, prefix in group]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _pg_query(groups):
    """SQL of the tsquery that `groups` make, written into the statement rather than bound: a
    statement run a few times is prepared (settings.PG_PREPARE_THRESHOLD), and its generic plan,
    made without knowing the words, read an index that a given search need not (a search of the
    offerings' shared documents took 10.9 ms where its own plan took 4.6). A catalogue page's
    walk is written for one plan and binds its words (_generic_walk)."""

    # Terms are clean (_clean): nothing in them ends the literal or the tsquery's quotes, whose
    # own quotes are doubled in the literal.
    return f"to_tsquery('simple'::regconfig, '{_pg_query_text(groups).replace("'", "''")}')"


def _pg_query_text(groups, starts=False):
    """The text of the tsquery that `groups` make; with `starts`, for the index of the words'
    starts (see _pg_read_sql), each start of a word that index holds as one of its words."""

    def one(term, prefix):
        if starts and prefix and _prefixed(term):
            return f"'{PREFIX_MARK}{term}'"
        return f"'{term}':*" if prefix else f"'{term}'"

    return " & ".join("(" + " | ".join(one(term, prefix) for term, prefix in group) + ")" for group in groups)


# In a document, what follows this mark is the words of the texts that the record shares with
# many others (search_profiles). An index reads words alone: the mark changes no search.
SHARED_MARK = " | "
# A search whose words begin this many records' own words (codes) searches the records' index.
OWN_MATCHES = 300
# Shared documents (search_profiles) that the planner judges one by one; more are taken as many.
ESTIMATED_PROFILES = 200

# On PostgreSQL, up to this many matches are read first and handed to the list as ids.
FEW_MATCHES = 300
# A page that ends past this many rows of a list of search_profiles records is read from the
# list of the shared documents that match, not by walking the list's order (_pg_profile_walk),
# which tests more records the deeper the page: over six searches of the bench's, the walk was
# faster to page 6 of 12 (10.8 ms against 11.8) and slower from page 8 (12.4 against 10.8).
WALKED_ROWS = 72


def _pg_ids_sql(fts, tsquery):
    return f"SELECT id FROM {fts} WHERE search_vector @@ {tsquery}"


# On PostgreSQL, an index's words each begin with PREFIX_MARK followed by their first letters, as
# many as each of PREFIXES, in a second GIN index (see pg_prefix_index_sql): a search reads the
# start of a word as one entry there, as SQLite's FTS5 reads its prefix index. A private-use
# character, as HIDDEN_MARK.
PREFIX_MARK = "\ue001"
PREFIXED_FUNCTION = "search_prefixes"


def _prefixed(term):
    """Whether a term typed as the start of a word is read as PREFIX_MARK + term (see
    pg_prefix_function_sql): one that does not begin with a digit, no shorter and no longer
    than the prefixes indexed. Every word it begins then begins with the same letter, and its
    index holds that start."""
    return PREFIXES[0] <= len(term) <= LONGEST_PREFIX and term[0] not in "0123456789"


def _as_parsed(groups):
    """Whether every term of `groups` is written as the `simple` parser would read it (lower-case
    letters and digits), so that its tsquery may go as text, not through to_tsquery."""
    return all(term.isalnum() and term == term.lower() for group in groups for term, _prefix in group)


def _pg_read_sql(fts, groups, tsquery):
    """SQL of the ids of the records of index `fts` that match `groups`, for a statement that
    reads every match from a GIN index: from the index of the words' starts where the query
    has one, otherwise as _pg_ids_sql. GIN reads the start of a word by merging every word it
    begins, a bitmap entry at a time: "james" began 476 words of 450,000 people (the e-mail
    names that begin with it), and "james williams" took 3.75 ms where its words read whole took
    0.76; the bench's 144 people searches that read every match took 1.54 ms at the median so,
    0.63 from the index of starts, and found the same ids. Only for such reads: a walk that tests
    each row (see _walks) tests its words, which the plain query does by a binary search.

    The query goes as it is, not through to_tsquery: each of its terms is written as the
    parser would read it (lower-case letters and digits), or the plain query is used."""
    if not _as_parsed(groups):
        return _pg_ids_sql(fts, tsquery)
    text = _pg_query_text(groups, starts=True).replace("'", "''")
    return f"SELECT id FROM {fts} WHERE {PREFIXED_FUNCTION}(search_vector) @@ '{text}'::tsquery"


def _pg_profile_matches(queryset, fts, tsquery, groups):
    """The records of a search_profiles model that match: those whose shared document does,
    and those whose own words (an offering's code) match a word of the query and whose whole
    document does. Their documents' words are the union of their own and their shared ones, and
    a query only asks for words, so these are exactly the records whose document matches. Two
    querysets of them: one for pages in the list's order, one for the first read (any matches,
    in no order). None when many records match by their own words: then the records' index is
    read as usual.

    An offering's document is mostly its venue's and its course's words: 100,000 offerings
    share 15,974 of them. Reading which of those match cost 1.5 to 4 ms where reading the
    offerings' own index cost 6 to 18 (prefixes of common Arabic words)."""
    table = queryset.model._meta.db_table
    anyword = _pg_query([[alternative for group in groups for alternative in group]])
    # The shared documents' ids come as the text of their array, which goes back into the
    # list's statements as it is: thousands of ids (a venue's words) cost 1 ms to parse into
    # Python and write out again.
    sql = (
        f"SELECT ARRAY(SELECT id FROM {table}_profile WHERE search_vector @@ {tsquery})::text, "
        f"ARRAY(SELECT id FROM {fts} WHERE own_vector @@ {anyword} AND search_vector @@ {tsquery} "
        f"LIMIT {OWN_MATCHES + 1})"
    )
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(sql)
        else:
            # Through the GIN indexes, always: for words in a sixth of the shared documents the
            # planner tested every one of them (8 ms) where the index found them on 300 pages
            # (0.5 ms; documents that share words lie together, see pg_profile_fill_sql). Without
            # parameters the two statements go as one, in a transaction of their own, which the
            # setting ends with.
            cursor.execute(f"SET LOCAL enable_seqscan = off; {sql}")
            cursor.nextset()
        profiles, own = cursor.fetchone()
    if len(own) > OWN_MATCHES:
        return None
    # The ids written into the statement, not bound: the planner then knows how many there are
    # (a prepared statement's generic plan would not) and walks the list's order for many.
    column = connection.ops.quote_name(table)
    # The planner judges each id it is given from the column's statistics: 1 ms of planning for
    # 3,000 of them, in each of a list's reads. Past ESTIMATED_PROFILES it judges them as many
    # (an expression has no statistics), which they are: a shared document is some offerings'.
    count = profiles.count(",") + 1 if profiles != "{}" else 0
    many, profiles = count > ESTIMATED_PROFILES, f"'{profiles}'::bigint[]"
    profile = f"{column}.search_profile" if not many else f"({column}.search_profile + 0)"
    condition = f"{profile} = ANY({profiles})"
    # The first read takes any matches, in no order. Given many shared documents as a list, the
    # planner walked the whole index of them testing each entry (87,000 entries, 8 ms, for a
    # course's words whose documents lie at its end); given them as a set to join, it reads
    # each document's few entries (0.4 ms). A page in a date's order is best found the other
    # way: walking the dates, testing each row against the list.
    first = f"{column}.search_profile IN (SELECT unnest({profiles}))" if many else condition
    if own:
        condition = f"({condition} OR {column}.id = ANY({_int_array(own)}))"
        first = condition
    listed = queryset.filter(RawSQL(condition, [], output_field=models.BooleanField()))
    return listed, queryset.filter(RawSQL(first, [], output_field=models.BooleanField()))


def _pg_profile_walk(queryset, fts, tsquery, groups, page=None):
    """The records of a search_profiles model that match, for a list in its index's order (an
    offering's start date), read without listing their shared documents: the first read joins
    the documents that match to the records that point at them, up to FEW_MATCHES + 1, and
    asks in the same statement whether any record matches by its own words. Past FEW_MATCHES
    the list's pages walk its order and test each record's shared document by its id. With
    `page` (offset, size), that page's ids come in the same statement (see matches_page), and with
    (offset, size, fields) its rows, where the statement runs from its kept plan. None
    when a record matches by its own words: then _pg_profile_matches reads them. Only for a
    list that is paged (given `page`) and counted up to FEW_MATCHES (a search's list, see
    core.tables.SEARCH_COUNT_CAP): counting further would walk and test thousands of records.

    Listing every shared document that matches read all of their pages (1,325 documents for
    "الامن البحري", 3,993 for "الكويت"), where the join stops at the 301st offering and a page
    of twelve tests a few hundred documents: the bench's 18 Arabic searches took 0.67 ms at the
    median for their first page against 1.8 (the list and the page it was tested against).
    Only in the index's order: walking a list sorted by a course's title would test every
    record before sorting them."""
    connection = connections[queryset.db]
    column = connection.ops.quote_name(queryset.model._meta.db_table)
    anyword = _pg_query([[alternative for group in groups for alternative in group]])
    try:
        base = queryset.values_list("pk").query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # a condition that nothing meets
        return queryset.none()
    values = tuple(tuple(value) if isinstance(value, list) else value for value in base[1])
    key = (queryset.db, base[0], values, page, FEW_MATCHES)
    compiled = _WALKS.get(key)
    if compiled is None:
        compiled = _pg_walk_sql(queryset, fts, column, page)
        if len(_WALKS) >= _WALKS_KEPT:
            _WALKS.clear()
        _WALKS[key] = compiled
    sql, params = compiled
    statement, args = _generic_walk(sql, params, groups)
    fields, rows = (page[2] if page is not None and len(page) > 2 else None), None
    if fields is not None:  # the page's rows too, from the same kept plan: a statement less
        reader = plain.rows_by_id(queryset.model, fields)
        statement = reader.joined(connection, statement, ("ids", "own", "shown"), "h.shown")
    if not plans.keeps_plan(connection, statement):
        profiles = f"search_vector @@ {_STAND_IN_ALL}"
        sql = sql.replace(_STAND_IN_PROFILES, profiles).replace(_STAND_IN_ANY, anyword).replace(_STAND_IN_ALL, tsquery)
        with connection.cursor() as cursor, plans.for_values():
            cursor.execute(sql, params)
            ids, by_own_words, shown_ids = cursor.fetchone()
    elif fields is None:
        ids, by_own_words, shown_ids = plans.generic(connection, statement, args)
    else:
        read = plans.generic(connection, statement, args, every=True)
        (ids, by_own_words, shown_ids), rows = reader.split(connection, read, 3)
    if by_own_words:
        return None
    if len(ids) <= FEW_MATCHES:
        found = queryset.filter(pk__in=ids)
    else:
        found = queryset.filter(RawSQL(_walk_test(queryset, column, tsquery), [], output_field=models.BooleanField()))
    conditions = _conditions(found.query)
    found.query.search_read = (ids, conditions, None)
    if page is not None:
        found.query.search_page = (page[:2], conditions, found.query.order_by, shown_ids)
    _keep_rows(found, page, rows)
    return found


# A walk's statement compiled once for each list and page (_pg_profile_walk), with stand-in
# tsqueries that each search's own replace: building its three reads through the ORM cost more
# than the database took to answer them.
_WALKS = {}
_WALKS_KEPT = 1024
_STAND_IN_ALL = _pg_query([[("zzstandinall", False)]])
_STAND_IN_ANY = _pg_query([[("zzstandinany", False)]])
_STAND_IN_PROFILES = "zzstandinprofiles"  # the condition of a shared document that matches
_STAND_INS = (_STAND_IN_ALL, _STAND_IN_ANY, _STAND_IN_PROFILES)
_WALK_PARTS = re.compile(f"(%s|%%|{'|'.join(re.escape(mark) for mark in _STAND_INS)})")


def _generic_walk(sql, params, groups):
    """(SQL, args) of a walk's statement for core.plans.generic: its values as parameters $1, $2, …
    and the search's tsqueries among them, so that one plan serves every search of a list.

    The statement is written so that its best plan is the same whatever the words: the first
    read joins the shared documents that match, read from a GIN index, to their records; the
    page walks the list's order or sorts the few ids; whether a record matches by its own words
    reads those first. Planned for each search's words, it took 0.25 to 0.7 ms to plan, and for
    three of the bench's eighteen Arabic searches the planner walked every shared document
    (9,000 rows, 2 to 7 ms) expecting to meet 301 offerings early. Kept, the shared documents
    are read from the index of their words' starts, each start one entry (0.1 ms where merging
    every word "طب" begins took 0.4): planned for its words, that index's estimates led the
    planner to another join (18 ms for "الكويت")."""
    everyword = [[alternative for group in groups for alternative in group]]
    texts = {_STAND_IN_ALL: _pg_query_text(groups), _STAND_IN_ANY: _pg_query_text(everyword)}
    starts = _as_parsed(groups)
    args, numbers, parts, values = [], {}, [], iter(params)

    def number(key, value):
        if key not in numbers:
            args.append(value)
            numbers[key] = f"${len(args)}"
        return numbers[key]

    for part in _WALK_PARTS.split(sql):
        if part == "%s":
            args.append(next(values))
            parts.append(f"${len(args)}")
        elif part == "%%":
            parts.append("%")
        elif part in texts and starts:
            # Bound as a tsquery: to_tsquery() of a parameter parses it again for each record tested.
            parts.append(f"{number(part, texts[part])}::tsquery")
        elif part in texts:
            parts.append(f"to_tsquery('simple'::regconfig, {number(part, texts[part])})")
        elif part == _STAND_IN_PROFILES and starts:
            text = _pg_query_text(groups, starts=True)
            parts.append(f"{PREFIXED_FUNCTION}(search_vector) @@ {number(part, text)}::tsquery")
        elif part == _STAND_IN_PROFILES:
            whole = number(_STAND_IN_ALL, texts[_STAND_IN_ALL])
            parts.append(f"search_vector @@ to_tsquery('simple'::regconfig, {whole})")
        else:
            parts.append(part)
    return "".join(parts), args


def _walk_test(queryset, column, tsquery):
    """SQL of whether a record's shared document matches `tsquery`, as a scalar subquery: the
    planner keeps it a test of each row rather than a join, whose plan it would judge from its
    estimate of the documents that match (34 for 1,071 of "الحد من التسلح": 13 ms sorting all
    6,546 offerings for a page of twelve)."""
    table = queryset.model._meta.db_table
    return f"(SELECT p.search_vector @@ {tsquery} FROM {table}_profile p WHERE p.id = {column}.search_profile)"


def _pg_walk_sql(queryset, fts, column, page):
    """(SQL, params) of a walk's one statement (_pg_profile_walk) with the stand-in tsqueries."""
    table = queryset.model._meta.db_table
    profiles = f"SELECT id FROM {table}_profile WHERE {_STAND_IN_PROFILES}"
    joined = RawSQL(f"{column}.search_profile IN ({profiles})", [], output_field=models.BooleanField())
    test = RawSQL(_walk_test(queryset, column, _STAND_IN_ALL), [], output_field=models.BooleanField())
    walked = queryset.filter(test)
    first = queryset.filter(joined).order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1]
    # The records with a word of the query among their own words first (few: codes), then
    # whether one's whole document matches: a plan for any words must not read the other way.
    own = (
        f"SELECT 1 FROM (SELECT search_vector FROM {fts} WHERE own_vector @@ {_STAND_IN_ANY} OFFSET 0) o "
        f"WHERE o.search_vector @@ {_STAND_IN_ALL}"
    )
    first_sql, params = first.query.get_compiler(queryset.db).as_sql()
    shown, shown_params = "NULL", []
    if page is not None:
        bottom, size = page[:2]
        # Many matches: walk the list's order; few: sort the ids the first read found.
        among = RawSQL(f"{column}.id = ANY(f.ids)", [], output_field=models.BooleanField())
        many_sql, many_params = _ids_sql(walked[bottom : bottom + size])
        few_sql, few_params = _ids_sql(queryset.filter(among)[bottom : bottom + size])
        shown = f"CASE WHEN cardinality(f.ids) > {FEW_MATCHES} THEN ARRAY({many_sql}) ELSE ARRAY({few_sql}) END"
        shown_params = [*many_params, *few_params]
    # OFFSET 0: the first read once, not written again into each place that takes its ids.
    sql = (
        f"SELECT f.ids, f.own, {shown} AS shown "
        f"FROM (SELECT ARRAY({first_sql}) AS ids, EXISTS({own}) AS own OFFSET 0) f"
    )
    return sql, [*shown_params, *params]


def _ids_sql(queryset):
    return queryset.values_list("pk", flat=True).query.get_compiler(queryset.db).as_sql()


def _int_array(values):
    return "'{" + ",".join(str(int(value)) for value in values) + "}'::bigint[]"


def _pg_match(queryset, fts, tsquery, groups, ordered=None, whole=False, page=None):
    """Few matches are read from the GIN index first, and the list gets their ids: the planner
    then knows how few they are. Given a subquery instead, it misjudged rare words and walked a
    whole table in the list's order, testing each row (120 ms for 133 namesakes of 450,000).
    Many matches stay a subquery: reading 25,000 of them by id costs 50 ms, while walking the
    list's order finds a page of them within a few hundred rows, which the planner then does.

    The first read takes the list's conditions so far, so that it also counts the list (up to
    FEW_MATCHES + 1, see matches_counted): counting it again read the same prefixes from the
    index a second time (8 ms for a common Arabic prefix). A list `ordered` by id, the order of
    the index's table, is read in that order, and its first ids then give its pages too (see
    matches_head): the page read the index again (5 ms of 10 for a common name among 450,000
    people). Not a list ordered by date: walking the dates to find 301 matches, testing each
    row, took 20 ms where the GIN index found them all in 11. A list in id order whose matches
    are rare reads them all from the GIN index instead (see _walks)."""
    sql, read, rows = _pg_ids_sql(fts, tsquery), _pg_read_sql(fts, groups, tsquery), None
    if ordered and page is not None and sum(page[:2]) <= WALKED_ROWS and queryset.model.search_profiles:
        walked = _pg_profile_walk(queryset, fts, tsquery, groups, page)
        if walked is not None:
            return walked
    ordered = ordered if queryset.model.search_order is None else None
    profiled = _pg_profile_matches(queryset, fts, tsquery, groups) if queryset.model.search_profiles else None
    walks = bool(ordered) and profiled is None and _walks(queryset.db, fts, groups)
    if profiled is not None:
        matches, first = profiled
    elif ordered and not walks:
        # As an array, which the list's own index on the id then reads in order: given the
        # subquery, the planner walked that index to the last match in a merge join.
        column = f"{connections[queryset.db].ops.quote_name(queryset.model._meta.db_table)}.id"
        every = RawSQL(f"{column} = ANY(ARRAY({read}))", [], output_field=models.BooleanField())
        matches = queryset.filter(every)
    else:
        matches = queryset.filter(pk__in=RawSQL(sql, []))
    everyone = ordered and whole and profiled is None  # the list is everyone, in id order
    kept = everyone and queryset.model.search_index_excludes
    direction = "DESC" if ordered == "desc" else "ASC"
    if everyone and _surely_many(queryset.db, fts, groups):
        # Far more than FEW_MATCHES: the list counts them so without reading them, and its pages
        # walk the index's table in the list's order to their few matches.
        found = queryset.filter(pk__in=RawSQL(sql, []))
        conditions = _conditions(found.query)
        found.query.search_read = (None, conditions, found.query.order_by)
        shown = _kept_read(queryset, fts, groups, direction, page, walk=True, alone=True) if kept else None
        if shown is not None:
            found.query.search_page = (page[:2], conditions, found.query.order_by, shown[0])
            _keep_rows(found, page, shown[1])
        return found
    head = _kept_read(queryset, fts, groups, direction, page, walk=walks) if kept else None
    if head is not None:
        ids, rows = head
    elif kept and not walks:
        # The index holds the whole list: its matches need no visit to the list's own index of
        # the records it shows (0.5 ms of a people search's 6). By `id + 0`, the planner reads
        # them all from the GIN index and sorts them, rather than walking the ids in order.
        ids = plain.first_column(queryset.db, f"{read} ORDER BY id + 0 {direction} LIMIT %s", [FEW_MATCHES + 1])
    elif ordered or queryset.query.where or profiled is not None:
        reading = matches if ordered else (first if profiled is not None else matches).order_by()
        ids = list(reading.values_list("pk", flat=True)[: FEW_MATCHES + 1])
    else:  # every match is in the list: the index alone gives them
        ids = plain.first_column(queryset.db, f"{read} LIMIT %s", [FEW_MATCHES + 1])
    found = queryset.filter(pk__in=ids) if len(ids) <= FEW_MATCHES else matches
    # What the read found, and for which list: its conditions, and its order if it kept one.
    found.query.search_read = (ids, _conditions(found.query), found.query.order_by if ordered else None)
    _keep_rows(found, page, rows)
    return found


def _kept_read(queryset, fts, groups, direction, page, walk=False, alone=False):
    """(ids, rows) of a whole list's matches in id order (see _pg_match), read with the rows of
    `page` (offset, size, fields) among them in one statement, from one plan kept for any words
    (core.plans.generic). None where that plan may not run or no rows are asked for.

    The ids are the first FEW_MATCHES + 1, or with `alone` (a surely_many search) the page's.
    The statement leaves the planner one plan, the one _walks chose: read every match from the
    GIN index and sort them (`id + 0` cannot walk the ids in order), or `walk` the index's table
    in id order and test each record (`IS TRUE` cannot read the GIN index).

    Planned for its words (0.06 to 0.16 ms) with its rows read apart, the bench's people
    searches that read every match took 1.57 ms at the median for the two; so, 1.15."""
    if page is None or len(page) < 3:
        return None
    bottom, size, fields = page
    connection = connections[queryset.db]
    every, first = (size, bottom) if alone else (FEW_MATCHES + 1, 0)
    parsed = _as_parsed(groups)
    if walk and not parsed:
        return None  # to_tsquery() of a parameter would parse the query again for each record tested
    if walk:
        read = f"SELECT id FROM {fts} WHERE (search_vector @@ $1::tsquery) IS TRUE"
        text, order = _pg_query_text(groups), f"id {direction}"
    elif parsed:
        read = f"SELECT id FROM {fts} WHERE {PREFIXED_FUNCTION}(search_vector) @@ $1::tsquery"
        text, order = _pg_query_text(groups, starts=True), f"id + 0 {direction}"
    else:
        read = f"SELECT id FROM {fts} WHERE search_vector @@ to_tsquery('simple'::regconfig, $1)"
        text, order = _pg_query_text(groups), f"id + 0 {direction}"
    reader = plain.rows_by_id(queryset.model, fields)
    head = f"SELECT ARRAY({read} ORDER BY {order} LIMIT {every} OFFSET {first}) AS ids"
    sql = reader.joined(connection, head, ("ids",), f"h.ids[{bottom - first + 1}:{bottom - first + size}]")
    if not plans.keeps_plan(connection, sql):
        return None
    (ids,), rows = reader.split(connection, plans.generic(connection, sql, [text], every=True), 1)
    return ids, rows


# Reading every match from the GIN index costs about this many times what walking one row of
# the index's table and testing it does (measured on 450,000 people).
ARRAY_COST = 1.4
# How long a process keeps PostgreSQL's statistics of an index's words before reading them again.
STATISTICS_AGE = 600
_statistics = {}


def _walks(alias, fts, groups):
    """Whether a list in id order finds its first FEW_MATCHES + 1 matches sooner by walking the
    index's table in that order, testing each row, than by reading every match from the GIN
    index. The walk wins for common words (4 ms for a common name among 450,000 people, where
    reading its 54,575 matches took 42) and loses badly for rare ones (69 ms for 1,388 matches,
    read from the GIN index in 3). The planner chose the walk for both: it expects a test of a
    row to cost next to nothing. Here the expected matches come from its statistics of the
    column's most common words; a word not among them is rarer than all of them."""
    rows, words, shares = _common_words(alias, fts)
    expected = rows
    for group in groups:
        share = 0.0
        for term, prefix in group:
            share += sum(_shares_of(words, shares, term, prefix))
        expected *= min(share, 1.0)
    if expected <= 0:
        return False
    walked = (FEW_MATCHES + 1) * rows / expected
    return walked < ARRAY_COST * expected


# A one-word search of a whole list counts as more than FEW_MATCHES, unread, when PostgreSQL's
# statistics put one of its words in this many times as many records.
SURELY_MANY = 10


def _surely_many(alias, fts, groups):
    """Whether a one-word search surely matches far more than FEW_MATCHES records of the index:
    one of the words it takes is, by PostgreSQL's statistics of the column's most common words,
    in SURELY_MANY times as many (3,010 people). A share is read from a sample of 30,000
    records, which errs by a few per cent for such a word: a tenfold error does not happen.
    Walking to the 301st match to count a common name cost 3 to 9 ms; the page's 25 cost a
    twelfth of that."""
    if len(groups) != 1:
        return False
    rows, words, shares = _common_words(alias, fts)
    most = 0.0
    for term, prefix in groups[0]:
        most = max([most, *_shares_of(words, shares, term, prefix)])
    return rows * most >= SURELY_MANY * (FEW_MATCHES + 1)


def _shares_of(words, shares, term, prefix):
    """The shares of the common words that `term` is (or begins, with `prefix`)."""
    first = bisect.bisect_left(words, term)
    last = bisect.bisect_left(words, term + "\U0010ffff") if prefix else bisect.bisect_right(words, term)
    return shares[first:last]


def _common_words(alias, fts):
    """(rows, words, shares) of an index's table: its estimated rows, and its column's most common
    words, sorted, with the share of rows holding each, from PostgreSQL's statistics."""
    known = _statistics.get((alias, fts))
    if known is not None and time.monotonic() - known[0] < STATISTICS_AGE:
        return known[1]
    sql = (
        "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs FROM pg_class c "
        "LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = c.relname "
        "AND s.attname = 'search_vector' WHERE c.oid = to_regclass(%s)"
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [fts])
        row = cursor.fetchone() or (0, None, None)
    # zip drops the three figures that end the shares (the least and most share, empty rows).
    common = sorted(zip(row[1] or [], row[2] or [], strict=False))
    value = (max(row[0], 0), [word for word, _share in common], [share for _word, share in common])
    _statistics[(alias, fts)] = (time.monotonic(), value)
    return value


def _conditions(query):
    """What tells whether a list has had conditions added since: each filter adds one."""
    where = query.where
    return len(where.children), where.connector, where.negated, query.combinator


def _search_read(queryset):
    """The ids its search read first (on PostgreSQL) and the order it read them in, if no
    condition was added to the list since; otherwise None."""
    read = getattr(queryset.query, "search_read", None)
    if read is None or read[1] != _conditions(queryset.query):
        return None
    return read[0], read[2]


def matches_counted(queryset):
    """How many records a searched list holds, up to FEW_MATCHES + 1, when its search counted
    them (on PostgreSQL) and no condition was added since; otherwise None."""
    read = _search_read(queryset)
    if read is None:
        return None
    return FEW_MATCHES + 1 if read[0] is None else len(read[0])


def matches_head(queryset):
    """The first FEW_MATCHES + 1 ids of a searched list, in its order, when its search read them
    so (on PostgreSQL, a list in the index's order) and neither its conditions nor its order
    changed since; otherwise None."""
    read = _search_read(queryset)
    if read is None or read[0] is None or read[1] is None or read[1] != queryset.query.order_by:
        return None
    return read[0]


def matches_page(queryset, offset, size):
    """The ids of the page at `offset` of `size` records of a searched list, in its order, when
    its search read that page (on PostgreSQL, given `page`) and neither its conditions nor its
    order changed since; otherwise None."""
    read = getattr(queryset.query, "search_page", None)
    if read is None or read[0] != (offset, size) or read[1] != _conditions(queryset.query):
        return None
    return read[3] if read[2] == queryset.query.order_by else None


def _keep_rows(found, page, rows):
    """Keeps with a searched list the rows of `page` (offset, size, fields) its search read."""
    if rows is not None:
        found.query.search_rows = (page, rows, _conditions(found.query), found.query.order_by)


def page_rows(queryset, offset, size, fields):
    """{id: row} of the page at `offset` of `size` records of a searched list, as dicts of
    `fields`, when its search read them with its matches (on PostgreSQL, given (offset, size,
    fields) as its `page`, from a kept plan) and neither its conditions nor its order changed
    since; otherwise None."""
    read = getattr(queryset.query, "search_rows", None)
    if read is None or read[0] != (offset, size, tuple(fields or ())):
        return None
    return read[1] if read[2:] == (_conditions(queryset.query), queryset.query.order_by) else None


def whole_words_match(groups, vendor):
    """What `whole_words` takes for `groups` of whole words (no prefixes), cleaned as
    match_groups cleans them: PostgreSQL's tsquery text, SQLite's MATCH expression. None when
    cleaning leaves no word."""
    groups = _cleaned(groups)
    if not groups:
        return None
    return _pg_query_text(groups) if vendor == "postgresql" else _sqlite_match(groups)


def whole_words(queryset, match):
    """Records whose document holds the whole words of `match` (whole_words_match), given as a
    parameter: a statement compiled once serves any words (core.plain.Compiled). Run it planned
    for its values (core.plans.for_values): a prepared statement's generic plan, made without
    the words, cannot judge them from the column's statistics."""
    table = queryset.model._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"SELECT id FROM {_fts_table(table)} WHERE search_vector @@ to_tsquery('simple'::regconfig, %s)"
    elif connection.vendor == "sqlite":
        fts = _fts_table(table)
        sql = f"SELECT {_pk_of_rowid(queryset.model)} FROM {fts} WHERE {fts} MATCH %s"
    else:
        raise NotImplementedError("whole_words searches SQLite's and PostgreSQL's indexes")
    return queryset.filter(pk__in=RawSQL(sql, [match]))


def match_groups(queryset, groups, ordered=None, whole=False, page=None, shown=False):
    """Records whose document holds, for every group, one of its (term, prefix) alternatives.
    With `ordered` ("asc" or "desc"), in the index's order (see the module's documentation).
    `whole` says that the list is every record the model's index holds (all but those that
    search_index_excludes leaves out): PostgreSQL may then read its matches from that index
    alone, so a list narrowed any further must not say it. `shown` says the same of every record
    but those search_hidden leaves out. On SQLite, either lets a list in the index's order read
    its first matches from the index alone (see shown_head). `page` is (offset, size) of the page
    of the list that will be shown, which a search may read with its matches (see matches_page),
    or (offset, size, fields) to read its rows too, as dicts of those fields (core.plain.RowsById)."""
    groups = _cleaned(groups)
    if not groups:
        return _in_index_order(queryset, ordered)
    model = queryset.model
    table = model._meta.db_table
    vendor = connection.vendor
    if vendor == "sqlite":
        fts, match = _fts_table(table), _sqlite_match(groups)
        if ordered:
            # The index drives the query: matches come in its order, and a page stops the reading.
            found = queryset.extra(
                tables=[fts],
                where=[f'"{table}"."id" = {_pk_of_rowid(model, fts)}', f'"{fts}" MATCH %s'],
                params=[match],
                order_by=[f"{'-' if ordered == 'desc' else ''}{fts}.rowid"],
            )
            # Only where the list leaves out exactly what the index marks (hidden_of): the
            # records of search_hidden (`shown`), else those of search_index_excludes (`whole`).
            if (shown and model.search_hidden) or (whole and not model.search_hidden and model.search_index_excludes):
                direction = "DESC" if ordered == "desc" else "ASC"
                found.query.search_shown = (
                    f'SELECT {_pk_of_rowid(model, fts)} FROM "{fts}" WHERE "{fts}" MATCH %s '
                    f'ORDER BY "{fts}".rowid {direction} LIMIT %s',
                    f'({match}) NOT "{HIDDEN_MARK}"',
                    _conditions(found.query),
                    found.query.extra_order_by,
                )
            return found
        sql = f"SELECT {_pk_of_rowid(model)} FROM {fts} WHERE {fts} MATCH %s"
        return queryset.filter(pk__in=RawSQL(sql, [match]))
    if vendor == "postgresql":
        queryset, fts, tsquery = _in_index_order(queryset, ordered), _fts_table(table), _pg_query(groups)
        if not any(prefix for group in groups for _term, prefix in group):
            # Whole words only (a name's sound keys): the planner judges them from the column's
            # statistics, which the prefixes defeat, so the ids need not be read first. The
            # matcher's searches took 1.0 ms at the median and 7.5 at most so, against 2.1 and
            # 26 when the ids were read first (368 searches of names drawn from 450,000 people).
            return queryset.filter(pk__in=RawSQL(_pg_ids_sql(fts, tsquery), []))
        return _pg_match(queryset, fts, tsquery, groups, ordered, whole, page)
    condition = models.Q()
    for group in groups:  # other databases: correct, unindexed
        alternatives = models.Q()
        for term, _prefix in group:
            alternatives |= models.Q(search_document__contains=term)
        condition &= alternatives
    return _in_index_order(queryset.filter(condition), ordered)


def shown_head(queryset, limit):
    """The first `limit` ids of a list searched in the index's order with `shown` (on SQLite),
    read from the index alone, if neither its conditions nor its order changed since; otherwise
    None. Testing each match's row to leave out the hidden records cost a catalogue search 0.35
    ms of its 3.6 for 301 matches, and a search of everyone 0.3 to 0.7 ms."""
    read = getattr(queryset.query, "search_shown", None)
    if read is None or read[2] != _conditions(queryset.query) or read[3] != queryset.query.extra_order_by:
        return None
    return plain.first_column(queryset.db, read[0], [read[1], limit])


def _in_index_order(queryset, ordered):
    if not ordered:
        return queryset
    fields = [*([queryset.model.search_order] if queryset.model.search_order else []), "pk"]
    return queryset.order_by(*(f"-{f}" if ordered == "desc" else f for f in fields))


def search_filter(queryset, query, expand=None, ordered=None, whole=False, page=None, shown=False):
    """Narrow a queryset of a Searchable model to the records matching `query`: every word must
    begin an indexed word, or equal one of the extra terms `expand(word)` gives for it."""
    groups = []
    for word in normalize.words(query):
        group = [(normalize.stem(word)[:LONGEST_PREFIX], True)]
        if expand is not None:
            group += [(term, False) for term in expand(word)]
        groups.append(group)
    return match_groups(queryset, groups, ordered, whole, page, shown)


def documents(*relations):
    """The search columns of the records a list selects with it, for `.defer()`: lists never
    show them, and they are the largest columns of their rows."""
    return [f"{relation}__search_document" if relation else "search_document" for relation in relations]


class SearchQuerySet(models.QuerySet):
    def search(self, query, ordered=None, page=None, shown=False):
        return search_filter(self, query, ordered=ordered, page=page, shown=shown)


class Searchable(models.Model):
    """Abstract base of a model that the search finds; subclasses list their texts."""

    search_document = models.TextField(editable=False, default="", blank=True)
    # A date column whose order (then the id's) the SQLite index keeps; the id's if None.
    search_order = None
    # Whether many records share most of their words (search_shared_texts): PostgreSQL then
    # searches their shared documents, a few per thousand records (see pg_profile_sql).
    search_profiles = False
    # Columns that PostgreSQL's index of the records' shared documents also holds, with their
    # ids: a search's first read of a list (see _pg_match) then reads that index alone when the
    # list's conditions are on these columns.
    search_profile_covers = ()
    # A column set on records that no list shows (a person merged into another): PostgreSQL's
    # index leaves them out, so that a search of a whole list (`whole`) reads that index alone.
    search_index_excludes = None
    # (column, test) of records that lists of what is shown leave out (a draft offering: status,
    # "= 'draft'"): the SQLite index marks them (HIDDEN_MARK), so that a search of such a list
    # (`shown`) reads the index alone.
    search_hidden = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_document()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_document" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_document"]
        super().save(*args, **kwargs)

    def search_texts(self):
        raise NotImplementedError

    def search_shared_texts(self):
        """Texts that many records hold word for word (an offering's venue and course), indexed
        once for all of them on PostgreSQL (see pg_profile_sql); those of search_profiles models."""
        return []

    def refresh_search_document(self):
        document = normalize.document(*self.search_texts())
        if self.search_profiles:
            document += SHARED_MARK + normalize.document(*self.search_shared_texts())
        self.search_document = document


def hidden_of(model):
    """(column, test) of the records that SQLite's index of `model` marks hidden: search_hidden's,
    else those that search_index_excludes leaves out of every list; None if none."""
    if model.search_hidden is not None:
        return model.search_hidden
    if model.search_index_excludes:
        return (model.search_index_excludes, "IS NOT NULL")
    return None


def _text_sql(row, hidden):
    """The text that the SQLite index holds for a table's row `row`: its document, with
    HIDDEN_MARK if `hidden` (column, test) holds for the row."""
    if hidden is None:
        return f"{row}.search_document"
    column, test = hidden
    return f"{row}.search_document || CASE WHEN {row}.{column} {test} THEN ' {HIDDEN_MARK}' ELSE '' END"


def _sqlite_index_sql(table, order_column=None, hidden=None):
    """The FTS5 index of `table`, its triggers, and the statements that fill it. An index kept in
    a date's order, or one that marks `hidden` rows (hidden_of), has no content of its own: its
    row numbers are not the table's ids, or its text is not the table's."""
    fts = _fts_table(table)
    options = f"tokenize='unicode61 remove_diacritics 0', prefix='{' '.join(map(str, PREFIXES))}'"
    new, old = _key_sql("new", order_column), _key_sql("old", order_column)
    new_text, old_text = _text_sql("new", hidden), _text_sql("old", hidden)
    changes = ", ".join(
        ["search_document", *([order_column] if order_column else []), *([hidden[0]] if hidden else [])]
    )
    if order_column is None and hidden is None:
        create = f"fts5(search_document, content='{table}', content_rowid='id', {options})"
        fill = [f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"]
    else:
        create = f"fts5(search_document, content='', {options})"
        fill = [
            f"INSERT INTO {fts}({fts}) VALUES ('delete-all')",
            f"INSERT INTO {fts}(rowid, search_document) SELECT {_key_sql('t', order_column)}, "
            f"{_text_sql('t', hidden)} FROM {table} t",
        ]
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING {create}",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_document) VALUES ({new}, {new_text}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_document) VALUES ('delete', {old}, {old_text}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {changes} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_document) VALUES ('delete', {old}, {old_text}); "
        f"INSERT INTO {fts}(rowid, search_document) VALUES ({new}, {new_text}); END",
        *fill,
    ]


def _drop_sqlite_index(cursor, table):
    fts = _fts_table(table)
    for suffix in ("ai", "ad", "au"):
        cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
    cursor.execute(f"DROP TABLE IF EXISTS {fts}")


def rebuild_sqlite_index(table, order_column=None, hidden=None):
    """Migration operation: build the SQLite index of `table` anew (other databases: nothing)."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                _drop_sqlite_index(cursor, table)
                for sql in _sqlite_index_sql(table, order_column, hidden):
                    cursor.execute(sql)

    return migrations.RunPython(forwards, migrations.RunPython.noop)


def pg_index_sql(table):
    """PostgreSQL: each record's vector in a narrow table of its own, kept by a trigger and
    indexed. A common word matches thousands of records; reading their ids from a narrow table
    costs little, reading them from the wide rows themselves cost up to 100 ms."""
    fts = _fts_table(table)
    return [
        f"DROP INDEX IF EXISTS {table}_search_gin",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
        f"CREATE TABLE IF NOT EXISTS {fts} (id bigint PRIMARY KEY, search_vector tsvector NOT NULL)",
        _pg_sync_function(fts),
        f"DROP TRIGGER IF EXISTS {fts}_sync ON {table}",
        f"CREATE TRIGGER {fts}_sync AFTER INSERT OR UPDATE OF search_document OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {fts}_sync()",
        pg_fill_sql(table),
        f"CREATE INDEX IF NOT EXISTS {fts}_gin ON {fts} USING gin (search_vector)",
    ]


def pg_prefix_function_sql():
    """The function that makes the vector of the index of words' starts (_pg_read_sql) from a
    record's vector: its words, and for each word that begins with a letter, PREFIX_MARK and its
    first letters, as many as each of PREFIXES that the word has. Keys and numbers (ids, phone
    numbers) begin with a digit: searched as the start of a word, their terms are read by GIN's
    merging instead. Immutable: it reads nothing but its argument."""
    return f"""CREATE OR REPLACE FUNCTION {PREFIXED_FUNCTION}(vector tsvector) RETURNS tsvector
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
            SELECT vector || array_to_tsvector(ARRAY(
                SELECT chr({ord(PREFIX_MARK)}) || left(word, size)
                FROM unnest(tsvector_to_array(vector)) word,
                    generate_series({PREFIXES[0]}, least(length(word), {LONGEST_PREFIX})) size
                WHERE word !~ '^[0-9]'))
        $$"""


# A record written adds a hundred entries to the index of its words' starts, which wait in the
# index's pending list, read by every search, until it holds this many kB: with PostgreSQL's
# 4 MB, 297 pages of it made a search of two names 1.6 ms where it took 1.0 with none; with
# 256 kB, 0.7, and a person's row took 0.48 ms to write against 0.25.
PENDING_KB = 256


def _prefix_indexed(table, profile):
    return f"{table}_profile" if profile else _fts_table(table)


def pg_prefix_index_sql(table, profile=False):
    """The GIN index of the starts of the words of `table`'s index (see _pg_read_sql), or with
    `profile` of its shared documents' (see _generic_walk)."""
    indexed = _prefix_indexed(table, profile)
    return (
        f"CREATE INDEX IF NOT EXISTS {indexed}_prefix_gin ON {indexed} USING gin ({PREFIXED_FUNCTION}(search_vector)) "
        f"WITH (gin_pending_list_limit = {PENDING_KB})"
    )


def create_prefix_index(table, profile=False):
    """Migration operation (PostgreSQL): the index of the starts of the words of `table`'s index,
    or with `profile` of its shared documents."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(pg_prefix_function_sql())
            schema_editor.execute(pg_prefix_index_sql(table, profile))

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {_prefix_indexed(table, profile)}_prefix_gin")

    return migrations.RunPython(forwards, backwards)


def _vector_sql(text):
    """SQL of the vector indexed for `text`: its words without their positions, which no search
    reads. The people's index table was a third smaller so (154 MB against 113), and a search
    that tests rows or fetches its matches reads a third fewer pages."""
    return f"strip(to_tsvector('simple'::regconfig, {text}))"


def _pg_sync_function(fts, own=False, excluded=None):
    """The trigger function that keeps a record's row of its index `fts`: its vector, and with
    `own` that of its own words (see pg_profile_sql). A save that leaves the document as it was
    writes nothing. A record whose column `excluded` is set has no row (Searchable's
    search_index_excludes)."""
    columns = "id, search_vector"
    values = f"NEW.id, {_vector_sql('NEW.search_document')}"
    updates = "search_vector = EXCLUDED.search_vector"
    if own:
        columns += ", own_vector"
        values += f", {_vector_sql(_own_sql('NEW.search_document'))}"
        updates += ", own_vector = EXCLUDED.own_vector"
    leave_out, unchanged = "", "NEW.search_document IS NOT DISTINCT FROM OLD.search_document"
    if excluded:
        leave_out = f"""IF NEW.{excluded} IS NOT NULL THEN
                DELETE FROM {fts} WHERE id = NEW.id;
                RETURN NEW;
            END IF;"""
        unchanged += f" AND OLD.{excluded} IS NULL"
    return f"""CREATE OR REPLACE FUNCTION {fts}_sync() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM {fts} WHERE id = OLD.id;
                RETURN OLD;
            END IF;
            {leave_out}
            IF TG_OP = 'UPDATE' AND {unchanged} THEN
                RETURN NEW;
            END IF;
            INSERT INTO {fts} ({columns}) VALUES ({values})
            ON CONFLICT (id) DO UPDATE SET {updates};
            RETURN NEW;
        END $$ LANGUAGE plpgsql"""


def pg_fill_sql(table, excluded=None):
    fts = _fts_table(table)
    where = f" WHERE {excluded} IS NULL" if excluded else ""
    return (
        f"INSERT INTO {fts} (id, search_vector) SELECT id, {_vector_sql('search_document')} "
        f"FROM {table}{where} ON CONFLICT (id) DO UPDATE SET search_vector = EXCLUDED.search_vector"
    )


def _own_sql(document):
    """SQL of the words of a document before SHARED_MARK (none if it has no mark)."""
    mark = f"position('{SHARED_MARK}' IN {document})"
    return f"(CASE WHEN {mark} > 0 THEN left({document}, {mark} - 1) ELSE '' END)"


def _shared_sql(document):
    """SQL of the words of a document after SHARED_MARK (all of them if it has no mark)."""
    mark = f"position('{SHARED_MARK}' IN {document})"
    return f"(CASE WHEN {mark} > 0 THEN substr({document}, {mark} + {len(SHARED_MARK)}) ELSE {document} END)"


def pg_profile_sql(table):
    """PostgreSQL, for a search_profiles model: the shared documents of its records, each once
    in `{table}_profile`, and each record's own words in its index's `own_vector`; a record
    points at its shared document by `search_profile`. Triggers keep them, and a document
    made for no record stays (a search then reads it for nothing). pg_profile_fill_sql makes
    them for the records already there."""
    fts, profile = _fts_table(table), f"{table}_profile"
    return [
        f"CREATE TABLE IF NOT EXISTS {profile} "
        f"(id bigserial PRIMARY KEY, digest text NOT NULL UNIQUE, search_vector tsvector NOT NULL)",
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_profile bigint",
        f"ALTER TABLE {fts} ADD COLUMN IF NOT EXISTS own_vector tsvector NOT NULL DEFAULT ''",
        _pg_profile_function(profile),
        f"""CREATE OR REPLACE FUNCTION {profile}_set() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'INSERT' OR NEW.search_document IS DISTINCT FROM OLD.search_document
                    OR NEW.search_profile IS NULL THEN
                NEW.search_profile := {profile}_of(NEW.search_document);
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        f"DROP TRIGGER IF EXISTS {profile}_set ON {table}",
        f"CREATE TRIGGER {profile}_set BEFORE INSERT OR UPDATE OF search_document ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {profile}_set()",
        _pg_sync_function(fts, own=True),
    ]


def _pg_profile_function(profile):
    """The function that gives a document's shared document in `profile`, made if new."""
    return f"""CREATE OR REPLACE FUNCTION {profile}_of(document text) RETURNS bigint AS $$
    DECLARE
        shared text := {_shared_sql("document")};
        found bigint;
    BEGIN
        INSERT INTO {profile} (digest, search_vector)
        VALUES (md5(shared), {_vector_sql("shared")}) ON CONFLICT (digest) DO NOTHING;
        SELECT id INTO found FROM {profile} WHERE digest = md5(shared);
        RETURN found;
    END $$ LANGUAGE plpgsql"""


def pg_profile_index_sql(table, covers=()):
    """The index of the records of `table` by their shared document, holding their ids and
    `covers` too: a catalogue search's first read (the count of a public list) read 5,000
    offerings from the table (2 ms); from this index it reads 5,000 entries (0.3 ms)."""
    columns = ", ".join(("id", *covers))
    return f"CREATE INDEX IF NOT EXISTS {table}_search_profile ON {table} (search_profile) INCLUDE ({columns})"


def pg_profile_fill_sql(table, covers=()):
    """Statements that make the profiles and own words of every record of `table` at once (after
    a bulk load with the triggers off), and their indexes."""
    fts, profile = _fts_table(table), f"{table}_profile"
    shared = _shared_sql("t.search_document")
    return [
        # In the order of their words: documents that share their first words (an offering's
        # course) lie side by side, and a search reads the pages of those that match (1,694
        # pages for 3,147 documents in digest order).
        f"INSERT INTO {profile} (digest, search_vector) SELECT digest, {_vector_sql('shared')} "
        f"FROM (SELECT DISTINCT md5({shared}) AS digest, {shared} AS shared FROM {table} t) d "
        f"ORDER BY shared ON CONFLICT (digest) DO NOTHING",
        f"UPDATE {table} t SET search_profile = p.id FROM {profile} p "
        f"WHERE p.digest = md5({shared}) AND t.search_profile IS DISTINCT FROM p.id",
        f"UPDATE {fts} f SET own_vector = {_vector_sql(_own_sql('t.search_document'))} "
        f"FROM {table} t WHERE t.id = f.id",
        # The updates' pending foreign-key checks would block the CREATE INDEX of their table.
        "SET CONSTRAINTS ALL IMMEDIATE",
        f"CREATE INDEX IF NOT EXISTS {profile}_gin ON {profile} USING gin (search_vector)",
        f"CREATE INDEX IF NOT EXISTS {fts}_own_gin ON {fts} USING gin (own_vector)",
        pg_profile_index_sql(table, covers),
        f"ANALYZE {table}",
    ]


def create_profiles(model_label, related=()):
    """Migration operation (PostgreSQL): the shared documents of a search_profiles model, its
    records' documents written again with SHARED_MARK (read with the `related` records their
    texts come from). Other databases: nothing, as the mark changes no search there; their
    documents take it when next saved."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        from django.apps import apps as live

        model = live.get_model(model_label)
        table = model._meta.db_table
        for sql in pg_profile_sql(table):
            schema_editor.execute(sql)
        _rewrite_documents(model, related, schema_editor.connection)
        for sql in pg_profile_fill_sql(table, model.search_profile_covers):
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(model_label)._meta.db_table
        profile = f"{table}_profile"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {profile}_set ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {profile}_set()")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {profile}_of(text)")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_profile")
        schema_editor.execute(f"DROP TABLE IF EXISTS {profile}")

    return migrations.RunPython(forwards, backwards)


def strip_vectors(*model_labels):
    """Migration operation (PostgreSQL): the vectors of the models' indexes without their
    positions (_vector_sql), and the triggers that keep them making them so. Other databases:
    nothing."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        from django.apps import apps as live

        for label in model_labels:
            model = live.get_model(label)
            table = model._meta.db_table
            fts, own = _fts_table(table), model.search_profiles
            schema_editor.execute(_pg_sync_function(fts, own=own, excluded=model.search_index_excludes))
            # A change of type with USING writes the table anew, compact, with its indexes.
            columns = ["search_vector", *(["own_vector"] if own else [])]
            changes = ", ".join(f"ALTER COLUMN {c} TYPE tsvector USING strip({c})" for c in columns)
            schema_editor.execute(f"ALTER TABLE {fts} {changes}")
            if own:
                schema_editor.execute(_pg_profile_function(f"{table}_profile"))
                schema_editor.execute(
                    f"ALTER TABLE {table}_profile ALTER COLUMN search_vector TYPE tsvector USING strip(search_vector)"
                )

    return migrations.RunPython(forwards, migrations.RunPython.noop)


def exclude_from_index(table, column):
    """Migration operation (PostgreSQL): `table`'s index leaves out the records whose `column` is
    set, and its trigger keeps it so (Searchable.search_index_excludes). Other databases:
    nothing."""
    from django.db import migrations

    fts = _fts_table(table)

    def trigger(schema_editor, columns):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_sync ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {fts}_sync AFTER INSERT OR UPDATE OF {columns} OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {fts}_sync()"
        )

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(_pg_sync_function(fts, excluded=column))
        trigger(schema_editor, f"search_document, {column}")
        schema_editor.execute(f"DELETE FROM {fts} WHERE id IN (SELECT id FROM {table} WHERE {column} IS NOT NULL)")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(_pg_sync_function(fts))
        trigger(schema_editor, "search_document")
        schema_editor.execute(pg_fill_sql(table))

    return migrations.RunPython(forwards, backwards)


def cover_profiles(model_label):
    """Migration operation (PostgreSQL): the index of a search_profiles model's records by their
    shared document made again with the columns the model has it cover (pg_profile_index_sql)."""
    from django.db import migrations

    def index(apps, schema_editor, covers):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(model_label)._meta.db_table
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_profile")
        schema_editor.execute(pg_profile_index_sql(table, covers))

    def forwards(apps, schema_editor):
        from django.apps import apps as live

        index(apps, schema_editor, live.get_model(model_label).search_profile_covers)

    return migrations.RunPython(forwards, lambda apps, schema_editor: index(apps, schema_editor, ()))


def _rewrite_documents(model, related, connection, batch=2000):
    """Write every record's document again, in batches; the triggers of the table are off
    meanwhile, and pg_profile_fill_sql then makes what they would have."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        last = 0
        while True:
            # The columns the documents are made of as the model is now (not as it was at this
            # migration): a table with records meets it when it upgrades, with today's code.
            records = list(model._base_manager.select_related(*related).filter(pk__gt=last).order_by("pk")[:batch])
            if not records:
                break
            for record in records:
                record.refresh_search_document()
            cursor.execute(
                f"UPDATE {table} t SET search_document = v.document "
                f"FROM unnest(%s::bigint[], %s::text[]) AS v(id, document) WHERE t.id = v.id",
                [[r.pk for r in records], [r.search_document for r in records]],
            )
            last = records[-1].pk
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def create_index(table):
    """Migration operation that builds the search index of `table` on either database."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        conn = schema_editor.connection
        if conn.vendor == "sqlite":
            statements = _sqlite_index_sql(table)
        elif conn.vendor == "postgresql":
            statements = pg_index_sql(table)
        else:
            statements = []
        for sql in statements:
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        conn = schema_editor.connection
        fts = _fts_table(table)
        if conn.vendor == "sqlite":
            with conn.cursor() as cursor:
                _drop_sqlite_index(cursor, table)
        elif conn.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_sync ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {fts}_sync()")
            schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")

    return migrations.RunPython(forwards, backwards)


def sqlite_names(using="default"):
    """The names of an SQLite database's tables and triggers; None on another database."""
    if connections[using].vendor != "sqlite":
        return None
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        return {row[0] for row in cursor.fetchall()}


def repair_sqlite_indexes(using="default", **kwargs):
    """After migrating: SQLite drops a table's triggers when a migration rebuilds the table
    (adding a column does), so put back any missing trigger and rebuild that index."""
    from django.apps import apps

    present = sqlite_names(using)
    if present is None:
        return
    with connections[using].cursor() as cursor:
        for model in apps.get_models():
            if not issubclass(model, Searchable):
                continue
            table = model._meta.db_table
            fts = _fts_table(table)
            if table in present and not {fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au"} <= present:
                for sql in _sqlite_index_sql(table, model.search_order, hidden_of(model)):
                    cursor.execute(sql)
