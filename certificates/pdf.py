"""The certificate as a PDF: English and Arabic side by side, drawn by WeasyPrint with the fonts
shipped under static/vendor/fonts/print, and a QR code of the public verification address."""

import base64
import io
from pathlib import Path

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.dates import long_date, short_range

FONTS = Path(settings.BASE_DIR) / "static" / "vendor" / "fonts" / "print"


def verify_url(certificate, language="en"):
    with translation.override(language):
        return settings.SITE_URL + certificate.verify_path()


def _qr_data_uri(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _logo_uri():
    path = Path(settings.CENTRE_LOGO)
    if not path.exists():
        return ""
    kind = "svg+xml" if path.suffix == ".svg" else path.suffix.lstrip(".").replace("jpg", "jpeg")
    return f"data:image/{kind};base64," + base64.b64encode(path.read_bytes()).decode()


def _dates(certificate, language):
    with translation.override(language):
        return short_range(certificate.start_date, certificate.end_date)


def render(certificate):
    from weasyprint import HTML

    url = verify_url(certificate)
    context = {
        "c": certificate,
        "fonts": FONTS.as_uri(),
        "qr": _qr_data_uri(url),
        "logo": _logo_uri(),
        "verify_url": url,
        "centre_en": settings.CENTRE_NAME_EN,
        "centre_ar": settings.CENTRE_NAME_AR,
        "dates_en": _dates(certificate, "en"),
        "dates_ar": _dates(certificate, "ar"),
        "issued_en": _issued(certificate, "en"),
        "issued_ar": _issued(certificate, "ar"),
    }
    html = render_to_string("certificates/pdf.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _issued(certificate, language):
    with translation.override(language):
        return long_date(certificate.issued_at.date())
