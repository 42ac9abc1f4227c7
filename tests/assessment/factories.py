"""Factories for the self-check's models."""

import factory

from assessment.models import Assessment, Choice, Question, Questionnaire, SelfTest


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    version = factory.Sequence(lambda n: 100 + n)
    title = "Test questionnaire"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    slug = factory.Sequence(lambda n: f"question-{n}")
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Question {n}?")


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Answer {n}")
    weights = factory.LazyFunction(lambda: {"anterior-pelvic-tilt": 2})


class SelfTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfTest

    slug = factory.Sequence(lambda n: f"self-test-{n}")
    title = factory.Sequence(lambda n: f"Self-test {n}")
    summary = "A home check."
    steps = "1. Stand up.\n2. Look in the mirror."
    what_it_tells_you = "**Something** useful."


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    questionnaire_version = factory.SelfAttribute("questionnaire.version")
    answers = factory.LazyFunction(lambda: [{"question": "Belt line?", "answer": "Lower at the front"}])
    scores = factory.LazyFunction(
        lambda: {"anterior-pelvic-tilt": 5, "posterior-pelvic-tilt": 0, "lateral-pelvic-tilt": 0, "pelvic-rotation": 0}
    )
    outcome = Assessment.Outcome.ANTERIOR
    plan = factory.LazyFunction(lambda: {"leaders": [], "routine": [], "total_minutes": 0})
