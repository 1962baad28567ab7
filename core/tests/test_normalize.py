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
