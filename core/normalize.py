"""Arabic- and English-aware text normalisation, used both when text is indexed and when a
query arrives, so that spelling variants meet (see shared/ARABIC.md)."""

import re
import unicodedata

# Letter forms unified, and (below) every combining mark deleted: one translate does both.
_FOLD = str.maketrans(
    {
        "ٱ": "ا",  # alef wasla does not decompose under NFKD
        "ى": "ي",
        "ة": "ه",
        "ـ": "",  # tatweel
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    }
)
# A join over the text's characters dropping marks cost half of tokenizing a name for the
# matcher. All of Unicode's combining marks lie below 0x30000 (test_normalize checks).
_MARKS_LIMIT = 0x30000
_FOLD.update({cp: None for cp in range(_MARKS_LIMIT) if unicodedata.combining(chr(cp))})
_ABD = re.compile(r"\bعبد\s+")
_WORD = re.compile(r"\w+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")

_PREFIXES = ("وال", "بال", "كال", "فال", "ال", "لل")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def normalize(text):
    """Lower-cased text without diacritics, with alef/yaa/taa-marbuta forms unified.

    NFKD splits أ إ آ ؤ ئ into a base letter and a combining hamza or madda; dropping every
    combining mark then removes harakat, those marks and Latin accents in one pass (with the
    letter forms unified, in one translate).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text)))
    text = text.translate(_FOLD).casefold()
    text = _ABD.sub("عبد", text)  # "عبد الله" and "عبدالله" are one name
    return " ".join(text.split())


def stem(word):
    """Light stemming of one normalised Arabic word (Lucene's ArabicStemmer, one suffix)."""
    if not _ARABIC_LETTER.match(word):
        return word
    if len(word) >= 4 and word.startswith("و") and not word.startswith("وال"):
        word = word[1:]
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
            break
    return word


def words(text):
    """The normalised words of a text."""
    return _WORD.findall(normalize(text).replace("_", " "))


def tokens(text):
    """The search terms of a text: normalised, split into words, Arabic words stemmed."""
    return [stem(word) for word in words(text)]


def document(*texts):
    """The text stored in a model's search column: every word's stem, and the word itself
    where it differs, so that both a whole word and the start of one typed in a query match."""
    out = []
    for text in texts:
        for word in words(text):
            stemmed = stem(word)
            out.append(stemmed)
            if stemmed != word:
                out.append(word)
    return " ".join(out)
