import pytest
from django.urls import reverse

from articles.models import SitePage
from tests.factories import ArticleFactory, MuscleFactory, StretchFactory
from tests.harness.payloads import XSS_PAYLOADS, dangerous_markup, is_inert

pytestmark = pytest.mark.django_db


def main_content(response):
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_payload_list_is_long_enough():
    assert len(XSS_PAYLOADS) >= 50


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_article_body_and_summary_render_inert(client, payload):
    """Whatever an editor pastes into an article, readers get no script."""
    article = ArticleFactory(body=f"## Part\n\n{payload}\n\nText after.", summary=payload, title=payload[:150])
    response = client.get(reverse("articles:detail", args=[article.slug]))
    assert response.status_code == 200
    assert is_inert(main_content(response)), main_content(response)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_site_page_muscle_and_stretch_markdown_render_inert(client, payload):
    SitePage.objects.create(slug="about", title="About", summary=payload, body=f"Intro\n\n{payload}")
    fields = ("location", "action", "why_it_tightens", "trigger_points", "referred_pain", "other_names")
    muscle = MuscleFactory(**dict.fromkeys(fields, payload))
    stretch = StretchFactory(muscle=muscle, cautions=payload, what_you_should_feel=payload, steps=[payload, "Breathe."])
    plain = StretchFactory(muscle=MuscleFactory())
    pairs = [
        (reverse("articles:about"), None),
        (muscle.get_absolute_url(), plain.muscle.get_absolute_url()),
        (stretch.get_absolute_url(), plain.get_absolute_url()),
    ]
    for url, baseline_url in pairs:
        response = client.get(url)
        assert response.status_code == 200
        # The site's own inline SVG (the body map) is expected; the payload must add nothing to it.
        baseline = dangerous_markup(main_content(client.get(baseline_url))) if baseline_url else []
        assert dangerous_markup(main_content(response)) == baseline, url
