from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.forms import apply_validation_error
from core.visibility import get_visible_or_404, sees_all_nations
from evaluations import services
from evaluations.forms import AnswerForm
from evaluations.models import MIN_RESPONSES, Questionnaire
from nominations.models import Nomination
from training.models import Course, Offering
from training.services import can_run


@login_required
def answer(request, pk):
    """A participant answers the questionnaire of a course they attended, once."""
    nomination = get_visible_or_404(
        Nomination.objects.select_related("offering", "offering__course", "person"), request.user, pk=pk
    )
    if not services.may_answer(request.user, nomination):
        raise Http404
    questionnaire = Questionnaire.objects.filter(offering=nomination.offering).first()
    if questionnaire is None:
        raise Http404
    if hasattr(nomination, "respondent"):
        return render(request, "evaluations/thanks.html", {"nomination": nomination, "already": True})
    questions = list(questionnaire.questions.all())
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(by=request.user, nomination=nomination, answers=form.answers())
            messages.success(request, _("Thank you: your answers have been recorded anonymously."))
            return redirect("nominations:dashboard")
        except ValidationError as error:
            apply_validation_error(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
    return render(request, "evaluations/answer.html", {"form": form, "nomination": nomination, "nav": "dashboard"})


@login_required
def offering_report(request, code):
    offering = get_visible_or_404(Offering.objects.select_related("course"), request.user, code=code)
    if not (can_run(request.user, offering) or request.user.role == "observer"):
        raise PermissionDenied(_("Evaluation results are for the offering's director and the centre's administrators."))
    questionnaire = Questionnaire.objects.filter(offering=offering).first()
    results = services.offering_results(questionnaire) if questionnaire else None
    context = {"offering": offering, "results": results, "minimum": MIN_RESPONSES, "nav": "manage"}
    return render(request, "evaluations/offering_report.html", context)


@login_required
def course_report(request, code):
    if not sees_all_nations(request.user):
        raise PermissionDenied(_("Evaluation results are for the centre's staff."))
    course = get_visible_or_404(Course, request.user, code=code)
    context = {"course": course, "results": services.course_results(course), "minimum": MIN_RESPONSES, "nav": "manage"}
    return render(request, "evaluations/course_report.html", context)
