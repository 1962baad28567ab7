"""Whether two person names, in Arabic or Latin script, may belong to the same person.

Each meaningful word of a name becomes a token: a consonant skeleton in one Latin alphabet
(the index key, see `name_keys`) and the vowels around each consonant, reduced to a class.
Skeletons make the scripts and the usual spellings meet (محمد, Mohammed, Muhammad → mhmd);
the vowels then tell apart names that share a skeleton (Hassan/Hussein, Saad/Saud, Ahmed/Hamad)
as far as the spellings allow. See shared/ARABIC.md, "Names across spellings and scripts".
"""

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from core.normalize import normalize

# Measured on people/tests/name_pairs.csv (bench/matcher_eval.py). Scores fall on steps: two
# names that differ in one word of three score 0.83 (a different father: not the same person),
# one that adds a father's name to the other 0.89, a respelt dh or q 0.9 or more.
THRESHOLD = 0.85

_VOWEL_COST = 0.5  # per vowel that cannot be the same: one such word sinks a two-word name
_CONSONANT_COST = 0.5  # per consonant edit, for a skeleton of up to four letters
_SOFT_COST = 0.1  # per marked letter spelt another way
_SOFT_DZT = {"dz", "zd", "tz", "zt", "dt", "td"}  # either letter marked
_SOFT_GK = {"JK", "KJ"}  # both marked: Latin g and ق, not Gamal and كمال
_EXTRA_WORD = 0.25  # a name may add a father's name to the other at this cost
_SWAPPED = 0.8  # "Ahmed Al-Hamad" against "Hamad Al-Ahmed": same words, other family

_APOSTROPHES = re.compile(r"['’‘`´ʿʾ]")
_WORD = re.compile(r"[^\W\d_]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")

_PARTICLES = {"bin", "ibn", "bint", "bent", "b", "ould", "بن", "بنت", "ابن"}
_ARTICLES = {"al", "el", "ul", "ud", "as", "ash", "ad", "ar", "at", "az", "an", "ath", "adh", "ال"}
_JOIN_NEXT = {"abd", "abdul", "abdel", "abdal", "abdol", "abdu", "abdur", "abdus", "abu", "abou", "عبد", "ابو"}
# Nour Eddine, نور الدين; Fadl Allah, فضل الله (Abd Allah is joined the other way)
_JOIN_PREVIOUS = {"din", "deen", "dine", "eddin", "eddine", "uddin", "addin", "دين", "allah", "ullah", "له"}
_KEEP_AL = {"الهام", "الياس"}  # first names that begin like the article (إلهام, إلياس before normalising)
_ABBREVIATIONS = {"mohd": "mohammed", "muhd": "muhammad", "mhd": "mohammed"}

# Upper case marks letters spelt several ways: ذ ظ ض ث and Latin dh, th as d, z or t (Dhafer, ظافر,
# Zafer); ق and Latin q and g, which is ق in the Gulf and the Maghreb (Gargash, قرقاش) but ج in
# Egypt (Gamal). Keys use the lower case; marked letters may stand for each other at a small cost.
_AR_CONSONANTS = dict(
    zip(
        "بتثجحخدذرزسشصضطظغفقكلمنهپچڤگک",
        "btTjhkdZrzsxsDtZjfKklmnhbxfjk",
        strict=True,
    )
)
_LAT_DIGRAPHS = re.compile(r"sch|sh|ch|kh|gh|th|dh|ph|ck|dj|qu(?=[aeiy])|c(?=[eiy])")
_LAT_DIGRAPH_MAP = {"sch": "x", "sh": "x", "ch": "x", "kh": "k", "gh": "j", "th": "T", "dh": "D", "ph": "f"}
_LAT_DIGRAPH_MAP |= {"ck": "k", "dj": "j", "qu": "k", "c": "s"}  # Tarique, Youcef
_LAT_LETTERS = str.maketrans("qcgpv", "KkJbf")
_LAT_RUN = str.maketrans("oyw", "uiu")
_ABD_ARTICLE = re.compile(r"^(?:[aeiou]l(?=[a-zA-Z]{2})|[aeiou](?=([^aeiou])\1))")  # Abd-ul-lah, Abd-ur-rahman


def _latin_class(run, position=1):
    """The vowel a Latin run mostly stands for: u, i, e (a or i), a; y for a final -iya (Samia);
    h before a dropped final h."""
    if run.endswith("h"):
        return "a" if _latin_class(run[:-1]) == "a" else "h"  # Saleh, Salih, Haniyeh: anything
    if not run:
        return ""
    if position == 2 and run.endswith("a") and "i" in run:
        return "y"
    if "u" in run:
        return "u"
    if "i" in run or "ee" in run:
        return "i"
    return "e" if "e" in run else "a"


def _arabic_class(run, position):
    """An Arabic vowel-letter run as one class: A I U long vowels (VA VI VU with an ع: سعيد is
    not سيد), V a vowel of unknown quality (ع, ء, an initial alef), E a final ي (also ى: -i or -a),
    Y a final -iya (سامية, يحيى), W a final و (silent in عمرو), - none."""
    if position == 0 and run[:1] in ("ا", "ع", "ء"):
        run = run[1:]
        if not run:
            return "V"
    if not run:
        return "-"
    if position == 2 and "و" not in run and "ي" in run:
        return "Y" if run.rstrip("ء").endswith(("ية", "يا")) or run == "يي" else "E"
    if position == 2 and run == "و":
        return "W"
    stop = "V" if "ع" in run else ""  # a hamza is often left out (هيفاء, هيفا)
    if "و" in run:
        return stop + "U"
    if "ي" in run:
        return stop + "I"
    if "ا" in run or "ة" in run:
        return stop + "A"
    return "V"


def _walk(word, is_vowel, to_consonant, collapse):
    skeleton, runs, run = [], [], ""
    for i, ch in enumerate(word):
        if is_vowel(i, ch):
            run += ch
            continue
        consonant = to_consonant(i, ch)
        if collapse and skeleton and skeleton[-1].lower() == consonant.lower() and not run:
            continue  # a written double letter (ss, mm); Arabic writes one with a shadda instead
        runs.append(run)
        run = ""
        skeleton.append(consonant)
    runs.append(run)
    return "".join(skeleton), runs


# Names are made of far fewer words than there are names: a candidate's name is new to the
# name cache (_tokens) far more often than its words are to these.
@lru_cache(maxsize=16384)
def _arabic_token(word, later):
    word = word.replace("|", "")
    if word.startswith("عبد") and len(word) > 3:
        rest = word[3:]
        word = "عبد" + (rest[2:] if rest.startswith("ال") and len(rest) > 3 else rest)
    if len(word) > 1 and word[-1] == "ه":
        word = word[:-1] + "ة"  # normalize() made every ة a ه; a final one is read as -a
    if later and word.rstrip("ء").endswith(("ية", "يا", "يي")):
        # After the first name, -iya is a woman's family name (المحروقية, Al Mahrouqi) or a
        # father's name whose ending Latin spells many ways (يحيى Yahia, زكريا Zakari).
        word = word.rstrip("ء")[:-1]
    elif len(word) > 1 and word[-1] == "ح":
        word = word[:-1]  # the Latin side drops a final h too (Saleh, Sabah)

    def is_vowel(i, ch):
        return ch not in _AR_CONSONANTS and not (i == 0 and ch in "وي")

    def to_consonant(i, ch):
        return _AR_CONSONANTS.get(ch) or ("w" if ch == "و" else "y")

    skeleton, runs = _walk(word, is_vowel, to_consonant, collapse=False)
    last = len(runs) - 1
    return skeleton, tuple(_arabic_class(r, 0 if i == 0 else 2 if i == last else 1) for i, r in enumerate(runs))


def _latin_letters(part):
    part = re.sub(r"[^a-z]", "", anyascii(part).lower())
    part = _ABBREVIATIONS.get(part, part)
    if part.startswith("ou") and part[2:3] in ("a", "e", "i"):
        part = "w" + part[2:]  # French Oualid, Ouafa
    return _LAT_DIGRAPHS.sub(lambda m: _LAT_DIGRAPH_MAP[m[0]], part.replace("x", "ks")).translate(_LAT_LETTERS)


@lru_cache(maxsize=16384)
def _latin_token(word, later):
    # Parts of a compound (Abd|Rahman) are spelt separately: Abd|Hakim has no "dh".
    word = "".join(_latin_letters(part) for part in word.split("|"))
    if word.startswith("abd") and len(word) > 4:
        word = "abd" + _ABD_ARTICLE.sub("", word[3:], count=1)
    if later and re.search(r"[iy]y?a{1,2}$", word):
        word = word.rstrip("a")  # as for Arabic: Al-Mahrouqiya, Zakaria, Yahya
    dropped_h = len(word) > 2 and word[-1] == "h" and word[-2] in "aeiouy"
    if dropped_h:
        word = word[:-1]

    def is_vowel(i, ch):
        return ch in "aeiou" or (i > 0 and ch in "wy")

    skeleton, runs = _walk(word, is_vowel, lambda i, ch: ch, collapse=True)
    # Runs keep their letters (o as u, y as i, w as u): "ee" or "oo" is written long, "o" may be short.
    # French spelling writes every u "ou" (Houssain, Oussama); only in the last syllable, where
    # Arabic names have their long u (Mahmoud, Mansour), is it read as long.
    runs = [(r.replace("ou", "u") if i < len(runs) - 2 else r).translate(_LAT_RUN) for i, r in enumerate(runs)]
    if dropped_h:
        runs[-1] += "h"
    return skeleton, tuple(runs)


def _words(text):
    """The name's words, particles and articles dropped, compounds joined, each with whether it
    carried the article (a family or ancestor name)."""
    words = _WORD.findall(_APOSTROPHES.sub("", normalize(text)))
    items, article = [], False
    for i, word in enumerate(words):
        if word in _PARTICLES or (word == "ben" and i > 0):
            continue
        if word in _ARTICLES and i + 1 < len(words):
            article = True
            continue
        if word.startswith("ال") and len(word) > 3 and word not in _KEEP_AL:
            word, article = word[2:], True
        elif i > 0 and not article and word[:2] in ("al", "el") and len(word) > 5:
            word, article = word[2:], True  # not off a first name (Alexander), nor El Alaoui's
        elif i > 0 and word.startswith(("ben", "بن")) and len(word) > 5:
            word = word[3:] if word[0] == "b" else word[2:]  # Benali is Ben Ali, بن علي; بنكيران Benkirane
        items.append((word, article))
        article = False
    out, pending = [], None
    for word, article in items:
        if pending:
            word, article, pending = pending[0] + "|" + word, pending[1], None
        if word in _JOIN_NEXT:
            pending = (word, article)
        elif word in _JOIN_PREVIOUS and out:
            out[-1] = (out[-1][0] + "|" + word, out[-1][1])
        else:
            out.append((word, article))
    if pending:
        out.append(pending)
    return out


@lru_cache(maxsize=8192)  # a query and a few hundred candidates' names; about 1 kB each
def _tokens(text):
    tokens = []
    for i, (word, article) in enumerate(_words(text)):
        skeleton, vowels = (_arabic_token if _ARABIC.match(word) else _latin_token)(word, i > 0)
        skeleton = skeleton or "_"  # a name of vowels only (Aya, آية)
        tokens.append((skeleton.lower(), vowels, article, skeleton))
    return tuple(tokens)


def name_keys(text):
    """The skeleton of every meaningful word of a name, deduplicated, in order."""
    if not text:
        return []
    return list(dict.fromkeys(token[0] for token in _tokens(str(text))))


_ARABIC_CLASSES = {"-", "A", "I", "U", "VA", "VI", "VU", "V", "E", "Y", "W"}


@lru_cache(maxsize=4096)
def _vowel_penalty(x, y, position):
    """1 if two vowel runs (Latin letters or an Arabic class) at a position (0 start, 1 inside,
    2 end of the word) cannot be the same vowel, else 0."""
    if x in _ARABIC_CLASSES and y in _ARABIC_CLASSES:
        # Arabic spellings differ in hamza and ى (normalised away), not in long vowels: حسن is not حسين
        return 0 if x == y else 1
    if x in _ARABIC_CLASSES or y in _ARABIC_CLASSES:
        arabic, run = (x, y) if x in _ARABIC_CLASSES else (y, x)
        return 0 if _arabic_accepts(arabic, run, position) else 1
    a, b = _latin_class(x, position), _latin_class(y, position)
    if a == b:
        return 0
    if "" in (a, b):
        # Fahd/Fahad drop a short vowel inside; a vowel at either end is always written
        return 0 if position == 1 or (position == 2 and (a or b) in "eh") else 1
    if "h" in (a, b):
        return 0
    if "y" in (a, b):
        return 1
    # a short e stands for a or i (Mohammed, Khaled), but a final e is not a final a (Amine, Amina)
    return 0 if "e" in (a, b) and not (position == 2 and "a" in (a, b)) else 1


def _arabic_accepts(arabic, run, position):
    """Whether a Latin vowel run can spell an Arabic position that has vowel letters `arabic`."""
    marked = run.endswith("h")
    core = run[:-1] if marked else run
    if arabic == "-":  # no letter: at most a short vowel, written as one Latin letter
        if position == 0:
            return not core
        if position == 1:
            return len(core) < 2
        return core in ("", "e") or (marked and _latin_class(run) != "a")
    if not core:
        return arabic == "W" or (arabic == "V" and position == 2)
    cls = _latin_class(core, position)
    if arabic == "A":  # Haitham's "ai" is a ي (هيثم), not the ا of Hatem (حاتم)
        return cls in ("a", "e")
    if arabic == "VA":
        return "a" in core or "e" in core
    if arabic in ("I", "VI"):
        return "i" in core or "e" in core
    if arabic in ("U", "VU"):
        return "u" in core
    if arabic == "V":  # ع or hamza with a short vowel; a long i or u would be a letter (سعيد, سعود)
        return cls in ("a", "e") or len(core) < 2
    if arabic == "E":
        return cls not in ("u", "y")
    if arabic == "Y":
        # Samia, Rasmea, Attieh; and فقيه Fakih, whose ه is no ة
        return cls == "y" or (("i" in core or "e" in core) and (marked or core.endswith("a")))
    return cls in ("u", "e")  # W


# A query's words meet the same few words of its candidates again and again (Mohamed against
# every Mohammed): each pair is scored once.
@lru_cache(maxsize=65536)
def _token_similarity(a, b):
    skeleton_a, skeleton_b = a[0], b[0]
    soft = 0
    if skeleton_a != skeleton_b and len(skeleton_a) == len(skeleton_b):
        for x, y in zip(a[3], b[3], strict=True):
            if x.lower() != y.lower():
                if x + y not in _SOFT_GK and not ((x.isupper() or y.isupper()) and (x + y).lower() in _SOFT_DZT):
                    soft = -1
                    break
                soft += 1
    if skeleton_a == skeleton_b or soft > 0:
        vowels_a, vowels_b = a[1], b[1]
        last = len(vowels_a) - 1
        penalty = 0
        for i, pair in enumerate(zip(vowels_a, vowels_b, strict=True)):
            if pair[0] != pair[1]:
                penalty += _vowel_penalty(pair[0], pair[1], 0 if i == 0 else 2 if i == last else 1)
        return max(0.0, 1.0 - _VOWEL_COST * penalty - _SOFT_COST * soft)
    edits = Levenshtein.distance(skeleton_a, skeleton_b)
    size = max(len(skeleton_a), len(skeleton_b)) - (2 if skeleton_a[:2] == skeleton_b[:2] == "bd" else 0)
    # an edit weighs less in a long name (a typo), not in Abd- (Abdulrahman is not Abdulrahim)
    return max(0.0, 1.0 - _CONSONANT_COST * edits * 4 / max(4, size))


def name_score(a, b):
    """Similarity of two full names, 0..1, each in either script; order of words is free."""
    if not a or not b:
        return 0.0
    ta, tb = _tokens(str(a)), _tokens(str(b))
    if not ta or not tb:
        return 0.0
    if len(ta) > len(tb):
        ta, tb = tb, ta
    pairs = sorted(
        ((_token_similarity(x, y), i, j) for i, x in enumerate(ta) for j, y in enumerate(tb)),
        reverse=True,
    )
    used_a, used_b, matched, total = set(), set(), [], 0.0
    for similarity, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        total += similarity
        if similarity >= 0.5:
            matched.append((i, j))
        if len(used_a) == len(ta):
            break
    score = total / (len(ta) + _EXTRA_WORD * (len(tb) - len(ta)))
    for i1, j1 in matched:
        for i2, j2 in matched:
            crossed = i1 < i2 and j1 > j2
            if crossed and ta[i1][2] != tb[j1][2] and ta[i2][2] != tb[j2][2]:
                return score * _SWAPPED
    return score


def person_score(query, name_ar, name_en):
    """The best score of a query against a person's Arabic and English names."""
    return max((name_score(query, name) for name in (name_ar, name_en) if name), default=0.0)
