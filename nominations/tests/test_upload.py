import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.testing.factories import OfferingFactory, PersonFactory, nation
from nominations.models import Nomination, NominationImport
from people.models import Person

HEAD_EN = ["Name in Arabic", "Name in Latin script", "Rank or title", "Organisation", "E-mail", "Language (ar/en)"]
HEAD_AR = [
    "الاسم بالعربية",
    "الاسم بالحروف اللاتينية",
    "الرتبة أو اللقب",
    "الجهة",
    "البريد الإلكتروني",
    "اللغة (ar/en)",
]


def url(name, lang="en", *args):
    with translation.override(lang):
        return reverse(name, args=args)


def xlsx(rows, head=HEAD_EN):
    book = Workbook()
    book.active.append(head)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("candidates.xlsx", out.getvalue())


def csv_file(rows, head=HEAD_AR, encoding="utf-8-sig", delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(head)
    writer.writerows(rows)
    return SimpleUploadedFile("candidates.csv", out.getvalue().encode(encoding))


def candidates(n, start=0):
    return [
        [f"مرشح رقم {i}", f"Candidate Number{i} Testname", "Major", "Ministry of Interior", f"c{i}@example.kw", "ar"]
        for i in range(start, start + n)
    ]


@pytest.fixture
def offering(db, users):
    return OfferingFactory(code="CEP-5", director=users["director"], capacity=2000)


@pytest.mark.django_db
class TestUpload:
    def test_one_bad_row_in_a_thousand_imports_nothing_and_names_every_bad_row(self, as_user, users, offering):
        rows = candidates(1000)
        rows[41][4] = "not-an-address"
        rows[700][0] = rows[700][1] = ""
        rows[998][5] = "fr"
        response = as_user(users["focal"]).post(url("nominations:upload", "en", "CEP-5"), {"file": xlsx(rows)})
        assert response.status_code == 400
        html = response.content.decode()
        for row, word in ((43, "e-mail"), (702, "name"), (1000, "language")):
            assert f"Row {row}: {word}" in html, row
        assert not Person.objects.exists() and not Nomination.objects.exists()
        assert not NominationImport.objects.exists()

    def test_messages_in_arabic(self, as_user, users, offering):
        rows = candidates(2)
        rows[1][4] = "bad"
        html = as_user(users["focal"]).post(url("nominations:upload", "ar", "CEP-5"), {"file": csv_file(rows)})
        assert "الصف 3" in html.content.decode()

    def test_clean_file_nominates_everyone_after_confirming(self, as_user, users, offering):
        client = as_user(users["focal"])
        response = client.post(url("nominations:upload", "en", "CEP-5"), {"file": csv_file(candidates(30))})
        assert response.status_code == 302
        assert not Nomination.objects.exists()  # nothing until confirmed
        review = client.get(response["Location"])
        assert review.content.decode().count('data-testid="review-row"') == 30
        batch = NominationImport.objects.get()
        confirmed = client.post(response["Location"], {f"row-{r['row']}": "new" for r in batch.rows})
        assert confirmed.status_code == 302
        assert Nomination.objects.filter(nation__code="KWT").count() == 30
        assert Person.objects.filter(nation__code="KWT", organization="Ministry of Interior").count() == 30

    def test_existing_people_are_flagged_for_a_choice(self, as_user, users, offering):
        known = PersonFactory(nation=nation("KWT"), name_ar="عبدالله العنزي", name_en="Abdullah Al-Enezi", email="")
        rows = [["عبد الله العنزى", "Abdallah Al Anezi", "", "", "", "ar"], *candidates(1)]
        client = as_user(users["focal"])
        response = client.post(url("nominations:upload", "en", "CEP-5"), {"file": xlsx(rows)})
        review = client.get(response["Location"]).content.decode()
        assert review.count('data-flagged="1"') == 1 and f'value="{known.pk}"' in review
        # Neither chosen: nothing happens, and the row is named.
        refused = client.post(response["Location"], {"row-3": "new"})
        assert refused.status_code == 400 and "Row 2" in refused.content.decode()
        assert not Nomination.objects.exists()
        client.post(response["Location"], {"row-2": str(known.pk), "row-3": "new"})
        assert Nomination.objects.filter(person=known).exists()
        assert Person.objects.count() == 2  # the known one was not created again

    def test_a_refused_row_at_confirmation_rolls_back_all(self, as_user, users, offering):
        from nominations import services

        known = PersonFactory(nation=nation("KWT"), name_en="Abdullah Al-Enezi", name_ar="")
        services.nomination_submit(by=users["focal"], offering=offering, person=known)
        client = as_user(users["focal"])
        rows = [*candidates(3), ["", "Abdullah Al-Enezi", "", "", "", "en"]]
        response = client.post(url("nominations:upload", "en", "CEP-5"), {"file": xlsx(rows)})
        choices = {"row-2": "new", "row-3": "new", "row-4": "new", "row-5": str(known.pk)}
        refused = client.post(response["Location"], choices)
        assert refused.status_code == 400 and "Row 5" in refused.content.decode()
        assert Nomination.objects.count() == 1 and Person.objects.count() == 1

    def test_other_nations_rows_are_refused_for_a_focal_point(self, as_user, users, offering):
        head = [*HEAD_EN, "Nation (ISO code)"]
        rows = [["", "Ali Hassan", "", "", "", "en", "BHR"]]
        response = as_user(users["focal"]).post(url("nominations:upload", "en", "CEP-5"), {"file": xlsx(rows, head)})
        assert response.status_code == 400 and "Row 2: nation" in response.content.decode()

    def test_windows_arabic_csv_with_semicolons(self, as_user, users, offering):
        response = as_user(users["focal"]).post(
            url("nominations:upload", "en", "CEP-5"),
            {"file": csv_file(candidates(3), encoding="cp1256", delimiter=";")},
        )
        assert response.status_code == 302
        assert NominationImport.objects.get().rows[0]["name_ar"] == "مرشح رقم 0"

    def test_not_a_spreadsheet(self, as_user, users, offering):
        bad = SimpleUploadedFile("x.xlsx", b"this is not a zip")
        response = as_user(users["focal"]).post(url("nominations:upload", "en", "CEP-5"), {"file": bad})
        assert response.status_code == 400 and "not a readable XLSX" in response.content.decode()

    def test_another_users_batch_is_404(self, as_user, users, offering):
        client = as_user(users["focal"])
        response = client.post(url("nominations:upload", "en", "CEP-5"), {"file": csv_file(candidates(1))})
        assert as_user(users["admin"]).get(response["Location"]).status_code == 404


@pytest.mark.django_db
class TestTemplate:
    @pytest.mark.parametrize(("lang", "first"), [("en", "Name in Arabic"), ("ar", "الاسم بالعربية")])
    def test_xlsx_template_in_both_languages(self, as_user, users, lang, first):
        response = as_user(users["focal"]).get(url("nominations:template", lang, "xlsx"))
        book = load_workbook(io.BytesIO(response.content))
        headings = [c.value for c in book.active[1]]
        assert headings[0] == first and len(headings) == 8  # no nation column for a focal point
        assert book.active.sheet_view.rightToLeft == (lang == "ar")

    def test_staff_template_has_the_nation(self, as_user, users):
        response = as_user(users["admin"]).get(url("nominations:template", "en", "csv"))
        assert "Nation (ISO code)" in response.content.decode("utf-8-sig")
