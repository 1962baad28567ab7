from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Role, User
from partners.models import Area, Nation
from training.models import Course, Offering, Status


def nation(code):
    return Nation.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.PARTICIPANT
    password = factory.PostGenerationMethodCall("set_password", "pw-Secret-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"TST-{n:03d}")
    title_en = factory.Sequence(lambda n: f"Test course {n}")
    title_ar = factory.Sequence(lambda n: f"دورة تجريبية {n}")
    area = factory.LazyFunction(lambda: Area.objects.order_by("code").first())
    summary_en = "A course for tests."
    summary_ar = "دورة للاختبارات."
    languages = "ar,en"


class OfferingFactory(factory.django.DjangoModelFactory):
    """An offering saved directly, in any state: test set-up, not a path users take."""

    class Meta:
        model = Offering

    course = factory.SubFactory(CourseFactory)
    area = factory.LazyAttribute(lambda o: o.course.area)
    code = factory.Sequence(lambda n: f"OFF-{n:04d}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=4))
    nomination_deadline = factory.LazyAttribute(lambda o: o.start_date - timedelta(days=21))
    venue_en = "NATO-ICI Regional Centre, Kuwait"
    venue_ar = "المركز الإقليمي، الكويت"
    capacity = 24
    status = Status.OPEN


def role_users():
    make = UserFactory
    return {
        "admin": make(username="t-admin", role=Role.ADMIN),
        "director": make(username="t-director", role=Role.DIRECTOR),
        "director_other": make(username="t-director2", role=Role.DIRECTOR),
        "instructor": make(username="t-instructor", role=Role.INSTRUCTOR),
        "observer": make(username="t-observer", role=Role.OBSERVER),
        "focal": make(username="t-focal-kwt", role=Role.FOCAL_POINT, nation=nation("KWT")),
        "focal_other": make(username="t-focal-bhr", role=Role.FOCAL_POINT, nation=nation("BHR")),
        "participant": make(username="t-participant", role=Role.PARTICIPANT, nation=nation("KWT")),
    }


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Person"

    nation = factory.LazyFunction(lambda: nation("KWT"))
    name_en = factory.Sequence(lambda n: f"Test Person {n}")
    name_ar = factory.Sequence(lambda n: f"شخص تجريبي {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "en"
