"""Every public form that fails shows the same error summary, whatever a reader or a script sent: a 4xx, the
summary first in the content, "Error: " in the title, each link leading to a control that is on the page,
and nothing of what was sent turned into markup."""

import re
import time

import pytest
from django.urls import reverse

from articles.forms import ContactForm
from articles.models import Article, Comment, ContactMessage, HelpfulVote, Stretch
from assessment.models import Assessment, Question
from tests.articles.comments_support import post_comment
from tests.assessment.scenarios import finish, start_run
from tests.harness.pages import elements, summary_links
from tests.harness.payloads import ODD_TEXT, XSS_PAYLOADS, dangerous_markup

pytestmark = pytest.mark.django_db

HOSTILE = [*XSS_PAYLOADS[::8], "\x00", "a" * 20_000, "\u202eevil\u202c", "' OR 1=1 --"]
CONTROLS = {"input", "textarea", "select", "button"}


def main_of(html):
    return html[html.index("<main") : html.index("</main>")]


def assert_summary_leads_to_the_fields(response, clean_main):
    """The failed form's page: a 4xx, the summary first, each link to a control on the page, nothing injected."""
    assert 400 <= response.status_code < 500, response.status_code
    html = response.content.decode()
    links = summary_links(html)
    assert links, "the summary lists no error"
    ids = {attrs.get("id") for tag, attrs, _, _ in elements(html) if tag in CONTROLS}
    for message, href in links:
        assert message and href and href[1:] in ids, (message, href)
    assert "This field is required" not in html
    assert sorted(dangerous_markup(main_of(html))) == clean_main
    return links


@pytest.fixture
def content(site_content):
    return Article.objects.published().first(), Stretch.objects.first()


def clean(client, url):
    return sorted(dangerous_markup(main_of(client.get(url).content.decode())))


def test_the_contact_form(client, content):
    base = clean(client, reverse("articles:contact"))
    for payload in HOSTILE:
        data = {"name": payload[:200], "email": payload[:300], "subject": payload[:200], "message": payload}
        data |= {"website": "", "started": ContactForm.make_token(now=time.time() - 30)}
        response = client.post(reverse("articles:contact"), data, REMOTE_ADDR="203.0.113.60")
        links = assert_summary_leads_to_the_fields(response, base)
        assert "#id_email" in {href for _, href in links}, payload
    assert not ContactMessage.objects.exists()


def test_the_comment_form(client, content):
    article, _ = content
    base = clean(client, article.get_absolute_url())
    for payload in HOSTILE:
        response = post_comment(client, article, name="", email=payload[:300], body=payload)
        assert_summary_leads_to_the_fields(response, base)
    assert not Comment.objects.filter(article=article).exists()


def test_the_helpful_question(client, content):
    article, stretch = content
    for page, kind in ((article, "article"), (stretch, "stretch")):
        base = clean(client, page.get_absolute_url())
        for payload in HOSTILE:
            response = client.post(reverse("articles:helpful", args=[kind, page.pk]), {"helpful": payload})
            assert_summary_leads_to_the_fields(response, base)
    assert not HelpfulVote.objects.exists()


def test_the_warning_signs(client, content):
    """The page draws its own checkboxes; a sign the page does not show leads to the first one it does."""
    client.post(reverse("assessment:start"))
    base = clean(client, reverse("assessment:warning-signs"))
    first = Question.objects.filter(questionnaire__is_active=True, kind="red_flag").order_by("order", "pk").first()
    for payload in [*HOSTILE, "999999"]:
        response = client.post(reverse("assessment:warning-signs"), {"signs": [payload[:5000]]})
        links = assert_summary_leads_to_the_fields(response, base)
        assert links[0] == ("Tick only the signs shown on this page.", f"#id_signs_{first.pk}")
    nothing = client.post(reverse("assessment:warning-signs"), {})
    assert assert_summary_leads_to_the_fields(nothing, base) == [
        ("Tick any signs you have, or tick “I have none of these”.", "#id_none")
    ]


def test_a_question_and_the_see_a_gp_step(client, content):
    start_run(client)
    question = reverse("assessment:question", args=[1])
    base = clean(client, question)
    for payload in HOSTILE:
        assert_summary_leads_to_the_fields(client.post(question, {"answer": payload}), base)
    routine = Question.objects.get(questionnaire__is_active=True, kind="red_flag", slug="coping")
    client.post(reverse("assessment:start"))
    client.post(reverse("assessment:warning-signs"), {"signs": [routine.pk]})
    base = clean(client, reverse("assessment:gp-advice"))
    for payload in HOSTILE:
        response = client.post(reverse("assessment:gp-advice"), {"checked": payload})
        assert assert_summary_leads_to_the_fields(response, base)[0][1] == "#id_checked_0"


def test_the_reminder_time(client, content):
    finish(client, "anterior")
    url = reverse("assessment:reminder", args=[Assessment.objects.get().token])
    for payload in [*HOSTILE, *ODD_TEXT[:3], "25:00"]:
        response = client.get(url, {"time": payload})
        links = assert_summary_leads_to_the_fields(response, [])
        assert links == [("Enter a time like 21:30 (24-hour clock).", "#id_time")]
        assert re.search(r"<title>Error: Choose a reminder time \|", response.content.decode())
