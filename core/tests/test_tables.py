"""List pages: their counts and pages (core.tables)."""

import pytest
from django.db import connection

from core.tables import BoundedPaginator, IdFirstPaginator
from partners.models import Nation


@pytest.mark.django_db
@pytest.mark.parametrize("paginator_class", [IdFirstPaginator, BoundedPaginator])
def test_a_page_and_the_count_are_read_together_on_postgresql(paginator_class, django_assert_num_queries):
    """On PostgreSQL the count and the page's ids come in one statement; every page, the last,
    a page past it and a page that is not a number show what the ORM reads."""
    listed = Nation.objects.filter(code__gt="B").order_by("-code", "pk")
    expected = list(listed.values_list("code", flat=True))
    assert len(expected) > 20
    # The count and the ids, then the rows; past the last page, the count comes first and alone.
    together = connection.vendor == "postgresql"
    for number, first in [(1, 0), (2, 10), ("3", 20), (99, (len(expected) - 1) // 10 * 10), ("x", 0), (None, 0)]:
        paginator = paginator_class(listed, 10)
        with django_assert_num_queries(2 if together and number != 99 else 3, info=f"page {number}"):
            page = paginator.get_page(number)
            codes = [nation.code for nation in page.object_list]
        assert paginator.count == len(expected)
        assert codes == expected[first : first + 10], number
