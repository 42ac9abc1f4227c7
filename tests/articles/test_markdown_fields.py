import pytest
from django.urls import reverse

from articles.models import Muscle, SitePage, Stretch
from tests.factories import ArticleFactory
from tests.payloads import XSS_PAYLOADS, is_inert

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
def test_site_page_muscle_and_stretch_markdown_render_inert(client, payload, demo_content):
    page = SitePage.objects.get(slug="about")
    page.body = f"Intro\n\n{payload}"
    page.save()
    muscle = Muscle.objects.get(slug="hamstrings")
    for field in ("location", "action", "why_it_tightens", "trigger_points", "referred_pain"):
        setattr(muscle, field, payload)
    muscle.save()
    stretch = Stretch.objects.filter(muscle=muscle).first()
    stretch.cautions = stretch.what_you_should_feel = payload
    stretch.steps = [payload, "Breathe."]
    stretch.save()
    for url in (reverse("articles:about"), muscle.get_absolute_url(), stretch.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert is_inert(main_content(response)), url
