"""The shipped self-check content: complete, linked, and loaded without overwriting editors' changes."""

import io

import pytest
from django.core.management import call_command

from articles.models import Stretch
from assessment.models import Imbalance, ImbalanceMuscle, Question, Questionnaire, SelfTest

pytestmark = pytest.mark.usefixtures("selfcheck_content")


def test_shipped_questionnaire_is_active_and_complete():
    questionnaire = Questionnaire.objects.active().get()
    asked = questionnaire.questions.exclude(kind=Question.Kind.RED_FLAG)
    assert 10 <= asked.count() <= 15
    assert all(question.help_text for question in asked)
    assert asked.filter(self_test__isnull=False).count() >= 8
    assert all(question.choices.count() >= 2 for question in asked)


def test_every_red_flag_tier_is_shipped():
    flags = Question.objects.filter(kind=Question.Kind.RED_FLAG)
    assert set(flags.values_list("urgency", flat=True)) == set(Question.Urgency.values)
    assert flags.filter(text__icontains="bladder").exists()
    assert flags.filter(text__icontains="genitals or bottom").exists()


def test_at_least_five_self_test_pages(client):
    assert SelfTest.objects.count() >= 5
    for test in SelfTest.objects.all():
        assert client.get(test.get_absolute_url()).status_code == 200


def test_imbalances_stretch_the_right_muscles_on_the_right_side():
    links = {
        (link.imbalance.slug, link.muscle.slug): link
        for link in ImbalanceMuscle.objects.select_related("imbalance", "muscle", "stretch__muscle")
    }
    assert set(links) == {
        ("anterior-pelvic-tilt", "hip-flexors"),
        ("anterior-pelvic-tilt", "erector-spinae"),
        ("posterior-pelvic-tilt", "hamstrings"),
        ("lateral-pelvic-tilt", "quadratus-lumborum"),
        ("lateral-pelvic-tilt", "adductors"),
        ("pelvic-rotation", "hip-flexors"),
        ("pelvic-rotation", "adductors"),
    }
    for (code, _), link in links.items():
        assert link.stretch is not None and link.stretch.muscle == link.muscle
        expected = "same" if code in ("lateral-pelvic-tilt", "pelvic-rotation") else "both"
        assert link.side == expected
    assert Imbalance.objects.get(slug="lateral-pelvic-tilt").side_reading == "high"
    assert Imbalance.objects.get(slug="pelvic-rotation").side_reading == "forward"
    assert "glutes" in Imbalance.objects.get(slug="posterior-pelvic-tilt").other_tight_muscles


def test_loading_again_changes_nothing_and_keeps_editors_changes():
    test = SelfTest.objects.get(slug="thomas-test")
    test.title = "Edited by an editor"
    test.save()
    Question.objects.filter(slug="belt-line").delete()
    out = io.StringIO()
    call_command("load_selfcheck_content", stdout=out)
    assert "created" not in out.getvalue()
    assert SelfTest.objects.get(slug="thomas-test").title == "Edited by an editor"
    assert not Question.objects.filter(slug="belt-line").exists()


def test_loading_respects_an_editors_own_active_version():
    Questionnaire.objects.update(is_active=False)
    Questionnaire.objects.create(version=50, title="Editors' own", is_active=True)
    call_command("load_selfcheck_content", stdout=io.StringIO())
    assert Questionnaire.objects.active().get().version == 50


def test_a_newer_shipped_version_replaces_an_older_shipped_one():
    """A site still on the shipped version 1 moves to the shipped version 2 (the NHS-tiered warning signs)."""
    from backpain.models import DemoContent

    Questionnaire.objects.update(is_active=False)
    Questionnaire.objects.create(version=1, title="First", is_active=True)
    DemoContent.objects.create(key="questionnaire:1", checksum="x")
    call_command("load_selfcheck_content", stdout=io.StringIO())
    assert Questionnaire.objects.active().get().version == 2


def test_the_gentle_routine_has_nothing_one_sided_and_the_checks_have_times():
    from assessment.models import GentleStretch

    gentle = list(GentleStretch.objects.select_related("stretch"))
    assert len(gentle) >= 2
    assert any(entry.stretch.is_both_legs for entry in gentle)
    assert {test.slug: test.minutes for test in SelfTest.objects.all()}["one-leg-stand"] == 2


def test_recommended_stretches_exist():
    assert Stretch.objects.filter(slug="side-lying-ql-stretch-pillow", muscle__slug="quadratus-lumborum").exists()
