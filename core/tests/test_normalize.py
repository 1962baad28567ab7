import pytest

from core.normalize import document, normalize, tokens


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("إسطنبول", "اسطنبول"),
        ("أحمد", "احمد"),
        ("آمنة", "امنه"),
        ("ٱلله", "الله"),
        ("مصطفى", "مصطفي"),
        ("الخارجية", "الخارجيه"),
        ("مُحَمَّد", "محمد"),
        ("مـحـمـد", "محمد"),
        ("عبد الله", "عبدالله"),
        ("٢٠٢٦", "2026"),
        ("۲۰۲۶", "2026"),
        ("Cyber DEFENCE", "cyber defence"),
        ("Café", "cafe"),
        ("مؤتمر", "موتمر"),
    ],
)
def test_spelling_variants_normalise_alike(a, b):
    assert normalize(a) == normalize(b)
    assert tokens(a) == tokens(b)


def test_light_stemming_joins_article_and_plural_forms():
    assert tokens("الدفاع") == tokens("دفاع")
    assert tokens("والدفاع") == tokens("دفاع")
    assert tokens("المؤتمرات") == tokens("مؤتمر")


def test_document_keeps_whole_words_for_prefix_search():
    doc = document("الدفاع السيبراني").split()
    assert "دفاع" in doc and "الدفاع" in doc


def test_empty_text():
    assert normalize(None) == "" and tokens("") == [] and document(None, "") == ""


def test_every_combining_mark_is_dropped_as_unicode_defines_them():
    """The marks removed are exactly Unicode's combining ones (all below the table's limit), and
    a text loses those and nothing else."""
    import sys
    import unicodedata

    from core import normalize as module

    marks = [chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))]
    assert max(map(ord, marks)) < module._MARKS_LIMIT
    assert normalize("a" + "".join(marks) + "b") == "ab"
    assert normalize("Ḥusayn Müller مُحَمَّد") == "husayn muller محمد"
