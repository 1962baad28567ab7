"""The centre's standard questionnaire, there from the first migration on (and put back by the
demo loader if a database lost it)."""

QUESTIONS = [
    ("likert", "The course met its stated objectives.", "حققت الدورة أهدافها المعلنة."),
    ("likert", "The content was relevant to my work.", "كان المحتوى وثيق الصلة بعملي."),
    ("likert", "The instructors knew their subject and explained it clearly.", "أتقن المحاضرون موضوعهم وشرحوه بوضوح."),
    ("likert", "The exercises and discussions helped me learn.", "ساعدتني التمارين والنقاشات على التعلّم."),
    ("likert", "The organisation and facilities were good.", "كان التنظيم والمرافق جيدين."),
    ("likert", "I would recommend this course to a colleague.", "أوصي زملائي بهذه الدورة."),
    ("text", "What was most useful?", "ما أكثر ما أفادك في الدورة؟"),
    ("text", "What should the centre change?", "ما الذي ينبغي للمركز تغييره؟"),
]


def ensure_default_template(template_model=None):
    """The standard template, made if no template is the default one."""
    if template_model is None:
        from evaluations.models import QuestionnaireTemplate as template_model
    if template_model.objects.filter(is_default=True).exists():
        return None
    template = template_model.objects.create(
        name_en="Standard course evaluation", name_ar="التقييم المعتاد للدورات", is_default=True
    )
    for order, (kind, text_en, text_ar) in enumerate(QUESTIONS, start=1):
        template.questions.create(order=order, kind=kind, text_en=text_en, text_ar=text_ar)
    return template
