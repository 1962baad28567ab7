"""Nominating many candidates at once from a spreadsheet: upload, check, choose, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import DomainError, refusal
from core.i18n import current_language
from core.visibility import get_visible_or_404, is_centre_staff
from nominations import services, spreadsheet
from nominations.models import Nomination, NominationImport
from partners.models import Nation
from people import selectors
from people.models import Person
from training.models import Offering

# A row whose best match scores this much, or shares the e-mail, defaults to that person.
SURE = 0.97


def _require_nominator(user):
    if not (is_centre_staff(user) or getattr(user, "is_focal_point", False)):
        raise PermissionDenied(_("Only focal points and centre staff nominate."))


@login_required
def template(request, fmt):
    _require_nominator(request.user)
    staff, language = is_centre_staff(request.user), current_language()
    if fmt == "csv":
        response = HttpResponse(spreadsheet.template_csv(language, staff), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            spreadsheet.template(language, staff),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="shiraka-candidates-{language}.{fmt}"'
    return response


@login_required
def upload(request, code):
    _require_nominator(request.user)
    offering = get_visible_or_404(Offering.objects.select_related("course"), request.user, code=code)
    errors, filename = [], ""
    if request.method == "POST":
        file = request.FILES.get("file")
        if file is None:
            errors = [(None, _("Choose a file to upload."))]
        else:
            filename = file.name
            nation = None if is_centre_staff(request.user) else request.user.nation
            try:
                sheet = spreadsheet.read_rows(file, nation=nation)
                errors = sheet.errors
            except ValidationError as error:
                errors = [(None, refusal(error))]
            if not errors:
                rows = [_with_matches(request.user, row) for row in sheet.rows]
                batch = services.nomination_import_prepare(
                    by=request.user, offering=offering, rows=rows, filename=file.name
                )
                return redirect("nominations:upload_review", code=offering.code, pk=batch.pk)
    context = {"offering": offering, "errors": errors, "filename": filename, "nav": "nominations"}
    return render(request, "nominations/upload.html", context, status=400 if errors else 200)


def _with_matches(user, row):
    """The row, with the existing people it may be (best first) and the default choice."""
    nation = Nation.objects.get(code=row["nation"])
    names = [row.get("name_ar"), row.get("name_en")]
    found = {p.pk: p.score for p in selectors.matches_for_names(user=user, names=names, nation=nation, limit=5)}
    if row.get("email"):
        for person in Person.objects.visible_to(user).filter(nation=nation, email=row["email"]):
            found[person.pk] = 1.0
    matches = sorted(found.items(), key=lambda item: -item[1])[:5]
    row["matches"] = [{"id": pk, "score": score} for pk, score in matches]
    row["default"] = str(matches[0][0]) if matches and matches[0][1] >= SURE else ("new" if not matches else "")
    return row


@login_required
def upload_review(request, code, pk):
    _require_nominator(request.user)
    offering = get_visible_or_404(Offering.objects.select_related("course"), request.user, code=code)
    batch = get_object_or_404(NominationImport, pk=pk, offering=offering, by=request.user, done_at__isnull=True)
    errors = []
    choices = {row["row"]: request.POST.get(f"row-{row['row']}", "") for row in batch.rows}
    if request.method == "POST":
        missing = [n for n, choice in choices.items() if not choice]
        if missing:
            errors = [(n, _("choose an existing person or “new”")) for n in missing]
        else:
            try:
                done = services.nomination_import(by=request.user, batch=batch, choices=choices)
                messages.success(
                    request,
                    ngettext("%(n)d candidate nominated.", "%(n)d candidates nominated.", len(done)) % {"n": len(done)},
                )
                return redirect("nominations:create_for", code=offering.code)
            except services.ImportRefused as refused:
                errors = refused.errors
            except DomainError as error:
                errors = [(None, refusal(error))]
    ids = {m["id"] for row in batch.rows for m in row["matches"]}
    people = Person.objects.filter(pk__in=ids).select_related("nation").in_bulk()
    nominated = set(Nomination.objects.filter(offering=offering, person__in=ids).values_list("person", flat=True))
    rows = []
    for row in batch.rows:
        chosen = choices[row["row"]] if request.method == "POST" else row["default"]
        candidates = [(people[m["id"]], m["score"], m["id"] in nominated) for m in row["matches"] if m["id"] in people]
        rows.append({"data": row, "chosen": chosen, "candidates": candidates})
    context = {
        "offering": offering,
        "batch": batch,
        "rows": rows,
        "flagged": sum(1 for row in rows if row["candidates"]),
        "errors": errors,
        "nav": "nominations",
    }
    return render(request, "nominations/upload_review.html", context, status=400 if errors else 200)
