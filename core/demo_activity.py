"""Demo activity: the partner nations' people, and what happened to each offering of the demo
programme — nominations, decisions, attendance, outcomes, certificates, evaluations — each on the
day it would have happened, through the same services the pages use."""

import random
import zlib
from datetime import timedelta

from accounts.models import Role, User
from attendance.services import attendance_record, offering_days
from certificates.services import certificates_issue_for_offering
from core.dates import moment
from core.errors import DomainError
from evaluations.models import Kind, Questionnaire
from evaluations.services import evaluation_submit
from nominations import services as nominations
from nominations.models import Nomination
from partners.models import Nation, Organisation
from people.models import Person
from people.services import person_create, person_update

# (Arabic, Latin) name parts; the Latin spellings vary as they do in real passports.
FIRST = [
    ("محمد", "Mohammed"),
    ("عبدالله", "Abdullah"),
    ("خالد", "Khaled"),
    ("فهد", "Fahad"),
    ("سالم", "Salem"),
    ("يوسف", "Yousef"),
    ("أحمد", "Ahmed"),
    ("حمد", "Hamad"),
    ("ناصر", "Nasser"),
    ("سعود", "Saud"),
    ("مريم", "Maryam"),
    ("نورة", "Noura"),
    ("فاطمة", "Fatima"),
    ("عائشة", "Aisha"),
    ("هند", "Hind"),
    ("عبدالرحمن", "Abdulrahman"),
    ("سلطان", "Sultan"),
    ("راشد", "Rashid"),
    ("ماجد", "Majed"),
    ("علي", "Ali"),
]
FAMILY = {
    "KWT": [
        ("العنزي", "Al-Enezi"),
        ("الرشيدي", "Al-Rashidi"),
        ("المطيري", "Al-Mutairi"),
        ("العازمي", "Al-Azmi"),
        ("الصباح", "Al-Sabah"),
        ("الكندري", "Al-Kandari"),
    ],
    "BHR": [("الخليفة", "Al-Khalifa"), ("الدوسري", "Al-Dosari"), ("البنعلي", "Al-Binali"), ("المناعي", "Al-Mannai")],
    "QAT": [("آل ثاني", "Al-Thani"), ("الكواري", "Al-Kuwari"), ("المري", "Al-Marri"), ("الهاجري", "Al-Hajri")],
    "ARE": [("النعيمي", "Al-Nuaimi"), ("الشامسي", "Al-Shamsi"), ("الكعبي", "Al-Kaabi"), ("المنصوري", "Al-Mansouri")],
    "SAU": [("الشهري", "Al-Shehri"), ("القحطاني", "Al-Qahtani"), ("العتيبي", "Al-Otaibi")],
    "OMN": [("البلوشي", "Al-Balushi"), ("الحارثي", "Al-Harthy"), ("السيابي", "Al-Siyabi")],
}
RANKS = ["Major", "Lieutenant Colonel", "Colonel", "Captain", "First Secretary", "Counsellor", "Engineer", "Mr", "Ms"]
WOMEN = {"مريم", "نورة", "فاطمة", "عائشة", "هند"}
PEOPLE_PER_NATION = 10
FOCAL = {"KWT": "focal-kwt", "BHR": "focal-bhr", "QAT": "focal-qat", "ARE": "focal-are"}
JOINING_EN = (
    "Arrive at the centre by 08:30 on the first day with your passport or civil ID. Dress: uniform or business "
    "attire. The centre's duty officer can be reached on +965 2000 0000."
)
JOINING_AR = (
    "يرجى الحضور إلى المركز قبل الساعة 08:30 من اليوم الأول مع جواز السفر أو البطاقة المدنية. "
    "اللباس: الزي الرسمي أو لباس العمل. هاتف ضابط المناوبة في المركز: ‎+965 2000 0000."
)


def load_people(admin):
    """Ten people per partner nation, the demo participant's own record, and one near-duplicate
    pair for staff to merge. Existing records (by e-mail) are left alone."""
    rng = random.Random(7)
    people = {}
    for code, families in FAMILY.items():
        nation = Nation.objects.get(code=code)
        organisations = list(Organisation.objects.filter(nation=nation))
        people[code] = []
        for n in range(PEOPLE_PER_NATION):
            first_ar, first_en = FIRST[(n * 7 + len(code)) % len(FIRST)]
            family_ar, family_en = families[n % len(families)]
            email = f"{first_en}.{family_en}.{n}@{code.lower()}.example".lower().replace("-", "")
            rank = "Ms" if first_ar in WOMEN else RANKS[rng.randrange(len(RANKS) - 1)]
            organisation = organisations[n % len(organisations)] if organisations else None
            people[code].append(
                _person(admin, nation, f"{first_ar} {family_ar}", f"{first_en} {family_en}", email, rank, organisation)
            )
    participant = User.objects.get(username="participant")
    kuwait = Nation.objects.get(code="KWT")
    own = _person(
        admin,
        kuwait,
        "محمد الرشيدي",
        "Mohammed Al-Rashidi",
        "participant@example.org",
        "Major",
        Organisation.objects.filter(code="kwt-mod").first(),
        user=participant,
    )
    _person(admin, kuwait, "محمد العنزي", "Mohamed Al Anezi", "m.anezi@kwt.example", "Major", None)
    people["KWT"].insert(0, own)
    return people


def _person(admin, nation, name_ar, name_en, email, rank, organisation, user=None):
    existing = Person.objects.filter(email=email).first()
    if existing:
        return existing
    return person_create(
        by=admin,
        nation=nation,
        name_ar=name_ar,
        name_en=name_en,
        email=email,
        rank=rank,
        organization=organisation.name_en if organisation else "",
        language="ar" if nation.code != "ARE" else "en",
        user=user,
    )


def _nominator(code, admin):
    username = FOCAL.get(code)
    return User.objects.get(username=username) if username else admin


def nominate(offering, people, admin, today):
    """Each nation puts forward a few candidates in the weeks before the deadline."""
    rng = random.Random(f"nominate:{offering.code}")  # by code: ids differ between databases
    opened = offering.nomination_deadline - timedelta(days=40)
    made = []
    for code, candidates in people.items():
        count = 2 + rng.randrange(3) if code in FOCAL else rng.randrange(2)
        picks = candidates[:1] if code == "KWT" and zlib.crc32(offering.code.encode()) % 2 == 0 else []
        picks += rng.sample(candidates[1:], min(count, len(candidates) - 1))
        for person in picks[:count]:
            on = min(opened + timedelta(days=rng.randrange(35)), today, offering.nomination_deadline)
            made.append((on, person, _nominator(code, admin)))
    made.sort(key=lambda item: (item[0], item[1].pk))
    return [nominations.nomination_submit(by=by, offering=offering, person=person, on=on) for on, person, by in made]


def decide(offering, submitted, director, today):
    """The director accepts while seats and quotas allow, wait-lists a few and declines one."""
    on = min(offering.nomination_deadline + timedelta(days=2), today)
    for index, nomination in enumerate(submitted):
        nomination.refresh_from_db()
        if nomination.status != "submitted":
            continue
        keen = _is_demo_participant(nomination.person)  # the demo account has a course to show
        if index % 9 == 8 and not keen:
            nominations.nomination_decide(
                by=director,
                nomination=nomination,
                decision="decline",
                reason="Rank below the course's audience.",
                on=on,
            )
            continue
        if index % 7 == 6 and not keen:
            nominations.nomination_decide(by=director, nomination=nomination, decision="waitlist", on=on)
            continue
        try:
            nominations.nomination_decide(by=director, nomination=nomination, decision="accept", on=on)
        except DomainError:
            nominations.nomination_decide(by=director, nomination=nomination, decision="waitlist", on=on)


def _is_demo_participant(person):
    return person.user_id is not None and person.user.username == "participant"


def take_attendance(offering, director, today):
    rng = random.Random(f"attendance:{offering.code}")
    accepted = Nomination.objects.filter(offering=offering, status="accepted").select_related("person__user")
    entries = []
    for nomination in accepted:
        person = nomination.person_id
        never = rng.random() < 0.05
        shaky = rng.random() < 0.15
        keen = _is_demo_participant(nomination.person)
        for day in offering_days(offering):
            if day > today:
                break
            present = keen or (not never and rng.random() > (0.45 if shaky else 0.04))
            status = "present" if present else ("excused" if rng.random() < 0.3 else "absent")
            entries.append({"person": person, "date": day, "status": status})
    if entries:
        attendance_record(by=director, offering=offering, entries=entries)


def certify_and_evaluate(offering, director):
    certificates_issue_for_offering(by=director, offering=offering, on=moment(offering.end_date, hour=17))
    questionnaire = Questionnaire.objects.filter(offering=offering).first()
    if questionnaire is None:
        return
    rng = random.Random(f"evaluate:{offering.code}")
    questions = list(questionnaire.questions.all())
    comments = [
        "The exercises were close to our daily work.",
        "More time for the syndicate work, please.",
        "التمارين العملية كانت مفيدة جدًا.",
        "نقترح زيادة مدة الدورة يومًا واحدًا.",
    ]
    for nomination in Nomination.objects.filter(offering=offering, status__in=["completed", "incomplete"]):
        if nomination.person.user_id is None or rng.random() < 0.25:
            continue
        if nomination.person.user.username == "participant":
            continue  # the demo participant still has this one to answer
        answers = {
            q.pk: str(rng.choice([3, 4, 4, 5, 5])) if q.kind == Kind.LIKERT else rng.choice(["", *comments])
            for q in questions
        }
        evaluation_submit(by=nomination.person.user, nomination=nomination, answers=answers)


def give_accounts(people, admin):
    """Participants answer evaluations with their own account: give every demo person one."""
    for code, candidates in people.items():
        for n, person in enumerate(candidates):
            if person.user_id:
                continue
            username = f"p-{code.lower()}-{n}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"role": Role.PARTICIPANT, "nation": person.nation, "email": person.email, "language": "ar"},
            )
            if created:
                user.set_unusable_password()
                user.save()
            candidates[n] = person_update(by=admin, person=person, user=user)
