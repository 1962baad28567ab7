from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from certificates import pdf, services
from certificates.models import Certificate
from certificates.templatetags import certificate_rows
from core.errors import DomainError, refusal
from core.tables import paginate
from core.visibility import get_visible_or_404
from nominations.models import OUTCOMES, Nomination
from people.models import by_name
from training.models import Offering
from training.services import can_run

# Wrong codes allowed per client address before verification answers 429 for a while.
GUESSES = "20/10m"


def guessing(request, count):
    return is_ratelimited(request, group="certificate-verify", key="ip", rate=GUESSES, increment=count)


def verify(request, code):
    """The public page an employer opens from the QR code: valid or revoked, names, course, dates."""
    if guessing(request, count=False):
        return render(request, "429.html", status=429)
    certificate = Certificate.objects.filter(code=code).first()
    if certificate is None:
        guessing(request, count=True)
        raise Http404
    return render(request, "certificates/verify.html", {"c": certificate})


@login_required
def certificate_list(request):
    certificates = Certificate.objects.visible_to(request.user).order_by("-issued_at", "-number")
    page = paginate(request, certificates, 25, fields=certificate_rows.FIELDS)
    return render(request, "certificates/list.html", {"page": page, "nav": "certificates"})


@login_required
def certificate_pdf(request, number):
    certificate = get_visible_or_404(Certificate, request.user, number=number)
    response = HttpResponse(pdf.render(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@login_required
def offering_certificates(request, code):
    """Issue the certificates of an offering, singly or all at once, and revoke them."""
    offering = get_visible_or_404(Offering.objects.select_related("course"), request.user, code=code)
    if not can_run(request.user, offering):
        raise PermissionDenied(_("Only the offering's director or an administrator issues its certificates."))
    nominations = (
        Nomination.objects.filter(offering=offering, status__in=OUTCOMES)
        .select_related("person", "nation", "certificate")
        .order_by(*by_name("person__"), "id")
    )
    context = {"offering": offering, "nominations": nominations, "nav": "manage"}
    return render(request, "certificates/offering.html", context)


@login_required
@require_POST
def issue(request, code):
    offering = get_visible_or_404(Offering, request.user, code=code)
    try:
        if request.POST.get("nomination"):
            nomination = get_visible_or_404(Nomination, request.user, pk=request.POST["nomination"], offering=offering)
            certificate = services.certificate_issue(by=request.user, nomination=nomination)
            messages.success(request, _("Certificate %(number)s issued.") % {"number": certificate.number})
        else:
            issued = services.certificates_issue_for_offering(by=request.user, offering=offering)
            if issued:
                count = len(issued)
                text = ngettext("%(n)d certificate issued.", "%(n)d certificates issued.", count) % {"n": count}
                messages.success(request, text)
            else:
                messages.info(request, _("Everyone who completed already has a certificate."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("certificates:offering", code=code)


@login_required
@require_POST
def revoke(request, number):
    certificate = get_visible_or_404(
        Certificate.objects.select_related("nomination__offering"), request.user, number=number
    )
    try:
        services.certificate_revoke(by=request.user, certificate=certificate, reason=request.POST.get("reason", ""))
        messages.success(request, _("Certificate %(number)s revoked.") % {"number": number})
    except (ValidationError, DomainError) as error:
        messages.error(request, refusal(error))
    return redirect("certificates:offering", code=certificate.nomination.offering.code)
