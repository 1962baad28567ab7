import io
from collections import deque
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from attendance.tests.test_attendance import mark, running_offering
from certificates import pdf, services
from core.errors import DomainError, NotAllowed
from training import services as training

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def completed_offering(users, names=None):
    offering, accepted = running_offering(users, days=2, people=len(names or [1, 2]))
    for nomination, (name_ar, name_en) in zip(accepted, names or [], strict=False):
        type(nomination.person).objects.filter(pk=nomination.person_id).update(name_ar=name_ar, name_en=name_en)
    for nomination in accepted:
        mark(users["director"], offering, nomination, [0, 1])
    training.offering_transition(by=users["director"], offering=offering, to="completed")
    return offering, accepted


def url(name, lang, *args):
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.mark.django_db
class TestIssuing:
    def test_issue_for_the_offering_gives_readable_unique_numbers_and_unguessable_codes(self, users):
        offering, _ = completed_offering(users)
        issued = services.certificates_issue_for_offering(by=users["director"], offering=offering)
        year = offering.end_date.year
        assert sorted(c.number for c in issued) == [f"ICI-{year}-00001", f"ICI-{year}-00002"]
        assert all(len(c.code) >= 20 for c in issued) and issued[0].code != issued[1].code
        assert services.certificates_issue_for_offering(by=users["director"], offering=offering) == []

    def test_only_completed_participants(self, users):
        offering, (done, *_rest) = running_offering(users, days=5, people=1)
        mark(users["director"], offering, done, [0])  # 20%: incomplete
        training.offering_transition(by=users["director"], offering=offering, to="completed")
        done.refresh_from_db()
        with pytest.raises(DomainError):
            services.certificate_issue(by=users["director"], nomination=done)
        assert services.certificates_issue_for_offering(by=users["director"], offering=offering) == []

    def test_only_the_director_or_an_admin(self, users):
        offering, _ = completed_offering(users)
        with pytest.raises(NotAllowed):
            services.certificates_issue_for_offering(by=users["director_other"], offering=offering)

    def test_revoke_needs_a_reason(self, users):
        offering, _ = completed_offering(users)
        (certificate, *_rest) = services.certificates_issue_for_offering(by=users["director"], offering=offering)
        with pytest.raises(ValidationError):
            services.certificate_revoke(by=users["director"], certificate=certificate, reason=" ")
        services.certificate_revoke(by=users["director"], certificate=certificate, reason="Issued in error")
        certificate.refresh_from_db()
        assert certificate.revoked_at and certificate.revoke_reason == "Issued in error"


@pytest.mark.django_db
class TestVerification:
    @pytest.mark.parametrize("lang", ["en", "ar"])
    def test_public_page_valid_then_revoked(self, client, users, lang):
        offering, _ = completed_offering(
            users, names=[("سالم العازمي", "Salem Al-Azmi"), ("هند الكندري", "Hind Al-Kandari")]
        )
        certificate = services.certificates_issue_for_offering(by=users["director"], offering=offering)[0]
        page = client.get(url("certificates:verify", lang, certificate.code)).content.decode()
        assert 'data-valid="true"' in page and certificate.name_en in page and certificate.name_ar in page
        assert certificate.nomination.person.email not in page
        services.certificate_revoke(by=users["admin"], certificate=certificate, reason="Fraud")
        page = client.get(url("certificates:verify", lang, certificate.code)).content.decode()
        assert 'data-valid="false"' in page

    def test_api_says_valid_and_nothing_more(self, users):
        offering, _ = completed_offering(users)
        certificate = services.certificates_issue_for_offering(by=users["director"], offering=offering)[0]
        body = APIClient().get(f"/api/v1/verify/{certificate.code}/").json()
        assert set(body) == {"valid", "revoked", "name_ar", "name_en", "course", "dates"}
        assert body["valid"] is True and body["name_en"] == certificate.name_en

    def test_a_wrong_code_is_404_and_guessing_is_throttled(self, client, users):
        codes = [client.get(url("certificates:verify", "en", f"guess-{n}")).status_code for n in range(25)]
        assert codes[0] == 404 and codes[-1] == 429
        api = [APIClient().get(f"/api/v1/verify/guess-{n}/").status_code for n in range(35)]
        assert api[0] == 404 and api[-1] == 429


@pytest.mark.django_db
class TestDownloads:
    def test_participant_own_focal_nation_nobody_else(self, as_user, users):
        offering, (mine, other) = completed_offering(users)
        type(mine.person).objects.filter(pk=mine.person_id).update(user=users["participant"])
        certificates = {
            c.nomination_id: c for c in services.certificates_issue_for_offering(by=users["admin"], offering=offering)
        }
        own, theirs = certificates[mine.pk], certificates[other.pk]
        path = url("certificates:pdf", "en", own.number)
        assert as_user(users["participant"]).get(path)["Content-Type"] == "application/pdf"
        assert as_user(users["participant"]).get(url("certificates:pdf", "en", theirs.number)).status_code == 404
        assert as_user(users["focal"]).get(path).status_code == 200
        assert as_user(users["focal_other"]).get(path).status_code == 404
        listed = APIClient()
        listed.force_authenticate(users["focal_other"])
        assert listed.get(f"/api/v1/certificates/?offering={offering.pk}").json()["count"] == 0

    def test_a_focal_points_list_is_their_nations_certificates_newest_first(self, as_user, users):
        issued = []
        for _ in range(2):
            offering, _people = completed_offering(users)
            issued += services.certificates_issue_for_offering(by=users["admin"], offering=offering)
        assert all(c.nation_id == c.nomination.nation_id == users["focal"].nation_id for c in issued)
        page = as_user(users["focal"]).get(url("certificates:list", "en")).content.decode()
        positions = [page.index(c.number) for c in reversed(issued)]  # the last issued first
        assert len(positions) == 4 and positions == sorted(positions)
        other = as_user(users["focal_other"]).get(url("certificates:list", "en")).content.decode()
        assert 'data-testid="certificate-row"' not in other

    def test_api_counts_everyones_from_the_yearly_counters(self, users):
        first, (one, _other) = completed_offering(users)
        services.certificate_issue(by=users["admin"], nomination=one)
        services.certificates_issue_for_offering(by=users["admin"], offering=first)
        second, _people = completed_offering(users)
        issued = services.certificates_issue_for_offering(by=users["director"], offering=second)
        services.certificate_revoke(by=users["admin"], certificate=issued[0], reason="A misspelt name")
        for who, expected in (("admin", 4), ("observer", 4), ("focal", 4), ("focal_other", 0)):
            client = APIClient()
            client.force_authenticate(users[who])
            with CaptureQueriesContext(connection) as read:
                body = client.get("/api/v1/certificates/").json()
            assert body["count"] == len(body["results"]) == expected, who
            counted = [q["sql"] for q in read.captured_queries if "COUNT(*)" in q["sql"]]
            assert bool(counted) == (who.startswith("focal")), who  # staff's from the counters
            by_offering = client.get(f"/api/v1/certificates/?offering={second.pk}").json()["count"]
            assert by_offering == (2 if expected else 0), who

    def test_api_issue_and_revoke(self, users):
        offering, _ = completed_offering(users)
        client = APIClient()
        client.force_authenticate(users["director"])
        issued = client.post(f"/api/v1/offerings/{offering.pk}/certificates/")
        assert issued.status_code == 201 and len(issued.json()) == 2
        number = issued.json()[0]["number"]
        assert issued.json()[0]["verify_url"].startswith(settings.SITE_URL)
        revoked = client.post(f"/api/v1/certificates/{number}/revoke/", {"reason": "Error"})
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        focal = APIClient()
        focal.force_authenticate(users["focal"])
        assert focal.post(f"/api/v1/certificates/{number}/revoke/", {"reason": "x"}).status_code == 403


def _components(image, threshold=110):
    """Dark connected regions of a grayscale PIL image (4-neighbour flood fill)."""
    width, height = image.size
    pixels = image.load()
    seen = [[False] * width for _ in range(height)]
    count = 0
    for y in range(height):
        for x in range(width):
            if seen[y][x] or pixels[x, y] > threshold:
                continue
            count += 1
            queue = deque([(x, y)])
            seen[y][x] = True
            while queue:
                cx, cy = queue.popleft()
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if 0 <= nx < width and 0 <= ny < height and not seen[ny][nx] and pixels[nx, ny] <= threshold:
                        seen[ny][nx] = True
                        queue.append((nx, ny))
    return count


def _png(pdf_bytes, scale=2):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    return document[0].render(scale=scale).to_pil()


@pytest.mark.django_db
class TestPdf:
    def test_bilingual_pdf_with_names_number_and_qr(self, users):
        names = [("محمد عبدالله العنزي", "Mohammed Abdullah Al-Enezi"), ("نورة الكعبي", "Noura Al-Kaabi")]
        offering, _ = completed_offering(users, names=names)
        certificate = services.certificates_issue_for_offering(by=users["director"], offering=offering)[0]
        data = pdf.render(certificate)
        from pypdf import PdfReader

        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert certificate.number in text and certificate.name_en in text
        assert "Certificate of Completion" in text and offering.course.title_en in text
        SHOTS.mkdir(parents=True, exist_ok=True)
        _png(data).save(SHOTS / "certificate.png")
        revoked = services.certificate_revoke(by=users["director"], certificate=certificate, reason="Test")
        assert "REVOKED" in PdfReader(io.BytesIO(pdf.render(revoked))).pages[0].extract_text()

    def test_arabic_letters_are_joined(self):
        """محمد has no dots: shaped, its four letters join into one stroke. The control writes it
        with zero-width non-joiners between the letters, as an unshaped rendering would look."""

        def strokes(word):
            html = (
                "<html><head><style>@font-face { font-family: N; src: url('"
                + pdf.FONTS.as_uri()
                + "/noto-naskh-arabic-arabic-400-normal.woff2'); } @page { size: 120mm 50mm; margin: 5mm }"
                " p { font-family: N; font-size: 60pt; margin: 0 }</style></head>"
                f"<body><p dir='rtl'>{word}</p></body></html>"
            )
            from weasyprint import HTML

            return _components(_png(HTML(string=html).write_pdf()).convert("L"))

        assert strokes("محمد") == 1
        assert strokes("\u200c".join("محمد")) == 4
