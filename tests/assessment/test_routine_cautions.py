"""The plan's routine shows each stretch's cautions where the reader reads the stretch, as they stand today."""

import pytest

from articles.models import Stretch
from assessment.models import Assessment

from .scenarios import finish, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")


def routine_of(response):
    html = response.content.decode()
    return html.split('id="routine-heading"', 1)[1].split("</section>", 1)[0]


def test_every_stretch_in_the_routine_shows_its_cautions(client):
    response = finish(client, "anterior")
    routine = routine_of(response)
    plan = Assessment.objects.get().plan["routine"]
    stretches = Stretch.objects.filter(slug__in=[item["stretch_slug"] for item in plan])
    assert stretches.count() == len(plan) >= 2
    assert routine.count('<details class="routine-cautions">') == len(plan)
    for stretch in stretches:
        assert stretch.cautions_html and stretch.cautions_html in routine
    assert "Before you try it: who should skip or change it" in text_of(response)


def test_a_caution_an_editor_adds_later_reaches_a_saved_result(client):
    response = finish(client, "anterior")
    first = Assessment.objects.get().plan["routine"][0]
    stretch = Stretch.objects.get(slug=first["stretch_slug"], muscle__slug=first["muscle_slug"])
    stretch.cautions += "\n\nNot after recent hip surgery without your surgeon's advice (added by an editor)."
    stretch.save()
    assert "added by an editor" in routine_of(client.get(response.request["PATH_INFO"]))
