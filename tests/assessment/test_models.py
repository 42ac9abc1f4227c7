"""The self-check's models: one active questionnaire, private tokens, Markdown rendered on save."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessment.models import Assessment, Imbalance, new_token

from .factories import AssessmentFactory, ChoiceFactory, QuestionnaireFactory, SelfTestFactory

pytestmark = pytest.mark.django_db


def test_only_one_questionnaire_can_be_active():
    QuestionnaireFactory(is_active=True)
    QuestionnaireFactory(is_active=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireFactory(is_active=True)


def test_tokens_are_long_random_and_unique():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(token) == 43 for token in tokens)  # 32 bytes = 256 bits
    first, second = AssessmentFactory(), AssessmentFactory()
    assert first.token != second.token
    assert reverse("assessment:result", args=[first.token]) == f"/assessment/result/{first.token}/"


def test_self_test_markdown_is_rendered_and_sanitised_on_save():
    test = SelfTestFactory(what_it_tells_you="**Bold** <script>alert(1)</script>")
    assert "<strong>Bold</strong>" in test.what_it_tells_you_html
    assert "<script>" not in test.what_it_tells_you_html
    assert "<ol>" in test.steps_html
    assert test.get_absolute_url() == f"/assessment/self-tests/{test.slug}/"


def test_string_forms_read_well():
    choice = ChoiceFactory(label="Lower at the front")
    assert str(choice) == "Lower at the front"
    assert str(choice.question) == choice.question.text
    questionnaire = QuestionnaireFactory(version=7, is_active=True, published_at=timezone.now())
    assert str(questionnaire) == "Test questionnaire v7 (live)"
    assert str(QuestionnaireFactory(version=8)) == "Test questionnaire v8 (draft)"
    assert "Anterior pelvic tilt" in str(AssessmentFactory())


def test_imbalance_side_reading():
    lateral = Imbalance(slug=Imbalance.Code.LATERAL, name="Lateral", side_reading=Imbalance.SideReading.HIGH)
    anterior = Imbalance(slug=Imbalance.Code.ANTERIOR, name="Anterior")
    assert lateral.is_sided and lateral.side_phrase == "the hip your check found higher"
    assert not anterior.is_sided and anterior.side_phrase == ""


def test_outcomes_cover_every_imbalance():
    assert set(Imbalance.Code.values) < set(Assessment.Outcome.values)


def test_red_flags_need_an_urgency_and_questions_do_not():
    from django.core.exceptions import ValidationError

    from .factories import QuestionFactory

    with pytest.raises(ValidationError, match="needs an urgency"):
        QuestionFactory.build(kind="red_flag", urgency="").clean()
    with pytest.raises(ValidationError, match="Only red flags"):
        QuestionFactory.build(kind="single", urgency="soon").clean()
    QuestionFactory.build(kind="red_flag", urgency="emergency").clean()


def test_recommended_stretch_must_belong_to_the_muscle(selfcheck_content):
    from django.core.exceptions import ValidationError

    from articles.models import Stretch
    from assessment.models import ImbalanceMuscle

    link = ImbalanceMuscle.objects.select_related("muscle").filter(muscle__slug="hip-flexors").first()
    link.stretch = Stretch.objects.exclude(muscle=link.muscle).first()
    with pytest.raises(ValidationError, match="this muscle"):
        link.clean()
