"""Who sees a saved result: the browser that saved or opened it at once; anyone else after one click.

Programs that fetch links by themselves (search engines, chat apps' link previews, mail scanners) never
press the button, so they never see anyone's answers, and the step's ``noindex`` keeps the link out of
search results.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Assessment
from assessment.views import OPENED_KEY, OPENED_LIMIT

from .factories import AssessmentFactory
from .scenarios import finish, text_of

pytestmark = pytest.mark.usefixtures("selfcheck_content")

STEP_HEADING = "Open a saved self-check result"
LINK_FETCHERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0",
    "",
]


def saved_result(scenario="lateral-right"):
    """Take the self-check in a browser of its own; return the result's URL and the page that reader saw."""
    reader = Client()
    page = finish(reader, scenario)
    return result_url(Assessment.objects.latest("id")), page


def result_url(assessment):
    return reverse("assessment:result", args=[assessment.token])


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def show_result(browser, url):
    """Open a result link in ``browser`` as a person does: load the step, press "Show the result"."""
    step = browser.get(url)
    assert STEP_HEADING in step.content.decode()
    return browser.post(url, {"csrfmiddlewaretoken": csrf_token(step.content.decode())}, follow=True)


def test_the_reader_who_took_the_self_check_sees_the_result_straight_away(client):
    """Right after "Get my result" and on every later visit from the same browser: no extra step."""
    response = finish(client, "lateral-right")
    html = response.content.decode()
    assert "Your checks fit the pattern of lateral pelvic tilt" in html
    assert STEP_HEADING not in html
    assert not re.search(r"\{[#%]|[#%]\}", html)
    again = client.get(result_url(Assessment.objects.get()))
    assert "Your checks fit the pattern of lateral pelvic tilt" in again.content.decode()


def test_the_readers_own_result_is_never_cached_and_still_says_noindex(client):
    """Only this browser's session reaches it, it is never stored by a cache or proxy, and, being health
    data, it says noindex to anyone who asks (a Lighthouse SEO point lost on it is expected)."""
    response = finish(client, "anterior")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


@pytest.mark.parametrize("user_agent", LINK_FETCHERS)
def test_anyone_else_opening_the_link_sees_nothing_of_the_result(user_agent):
    """A crawler, a link preview or a person in another browser gets the step: no outcome, answer or plan."""
    url, reader_page = saved_result("lateral-right")
    response = Client(HTTP_USER_AGENT=user_agent).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert STEP_HEADING in html
    assert "<title>Open a saved self-check result" in html
    for private in ("Lateral pelvic tilt", "right side", "My right hip is higher", "Quadratus lumborum", "points"):
        assert private in reader_page.content.decode()
        assert private not in html, private
    assert 'action="' + url + '"' in html
    assert not re.search(r"\{[#%]|[#%]\}", html)


def test_the_step_keeps_the_link_out_of_search_and_caches():
    url, _ = saved_result()
    response = Client().get(url)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_show_the_result_opens_it_and_this_browser_keeps_it_open():
    """One click (a POST with the page's CSRF token) shows the result, and later visits go straight to it."""
    url, _ = saved_result("rotation-left")
    other = Client(enforce_csrf_checks=True)
    shown = show_result(other, url)
    assert shown.redirect_chain == [(url, 302)]
    assert "Hip flexors : left side only (the side your check found further forward)" in text_of(shown)
    assert "Your checks fit the pattern of pelvic rotation" in other.get(url).content.decode()


def test_a_forged_click_without_the_csrf_token_opens_nothing():
    url, _ = saved_result()
    other = Client(enforce_csrf_checks=True)
    other.get(url)
    refused = other.post(url, {})
    assert refused.status_code == 403
    assert STEP_HEADING in other.get(url).content.decode()


@pytest.mark.parametrize(
    "token", ["guess", "a" * 43, "../../etc/passwd", "x" * 500, "%00", "abc def" + "a" * 40, "ä" * 43]
)
def test_clicking_on_a_made_up_link_is_404_and_remembers_nothing(client, token):
    response = client.post(f"/assessment/result/{token}/")
    assert response.status_code == 404
    assert OPENED_KEY not in client.session


def test_hostile_form_fields_only_ever_open_the_result_in_the_address(client):
    """Extra fields, a 100,000-character value, NUL and another token in the body change nothing."""
    url, _ = saved_result("anterior")
    elsewhere = AssessmentFactory(token="B" * 43)
    data = {"token": elsewhere.token, "previous": elsewhere.token, "junk": "x" * 100_000, "nul": "\x00"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == url
    assert client.session[OPENED_KEY] == [url.rstrip("/").rsplit("/", 1)[1]]
    assert STEP_HEADING in client.get(result_url(elsewhere)).content.decode()


def test_put_and_delete_on_a_result_are_refused_and_it_survives(client):
    url, _ = saved_result()
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("damaged", ["not a list", {"a": 1}, 42, None, [None, 7]])
def test_a_damaged_session_value_shows_the_step_and_a_click_still_works(client, damaged):
    url, _ = saved_result()
    session = client.session
    session[OPENED_KEY] = damaged
    session.save()
    assert STEP_HEADING in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert "Your checks fit the pattern of" in client.get(url).content.decode()


def test_a_browser_remembers_its_latest_results_only(client):
    """The session holds the last OPENED_LIMIT results opened; an older one asks for the click again."""
    results = [AssessmentFactory(token=f"{number:043d}") for number in range(OPENED_LIMIT + 1)]
    for result in results:
        client.post(result_url(result))
    assert len(client.session[OPENED_KEY]) == OPENED_LIMIT
    assert STEP_HEADING in client.get(result_url(results[0])).content.decode()
    assert STEP_HEADING not in client.get(result_url(results[-1])).content.decode()
    # Opening one again moves it to the front instead of adding it twice.
    client.post(result_url(results[5]))
    assert client.session[OPENED_KEY][0] == results[5].token
    assert len(set(client.session[OPENED_KEY])) == OPENED_LIMIT


def test_the_reminder_of_a_result_not_opened_here_goes_to_the_step_first():
    url, _ = saved_result("lateral-right")
    other = Client()
    token = url.rstrip("/").rsplit("/", 1)[1]
    response = other.get(reverse("assessment:reminder", args=[token]), {"time": "21:30"})
    assert response.status_code == 302 and response.url == url
    show_result(other, url)
    calendar = other.get(reverse("assessment:reminder", args=[token]), {"time": "21:30"})
    assert calendar["Content-Type"].startswith("text/calendar")


def test_session_only_pages_send_a_browser_without_the_run_to_the_start():
    """Why the question steps, check page and result carry no noindex: a crawler is redirected away."""
    stranger = Client()
    for name, args in (("question", [1]), ("check", []), ("warning-signs", []), ("care", [])):
        response = stranger.get(reverse(f"assessment:{name}", args=args))
        assert response.status_code == 302 and response.url == reverse("assessment:start"), name


def test_a_question_step_has_no_noindex_and_is_never_cached(client):
    client.post(reverse("assessment:start"))
    client.post(reverse("assessment:warning-signs"), {"none": "on"})
    response = client.get(reverse("assessment:question", args=[1]))
    assert response.status_code == 200
    assert 'name="robots"' not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_result_pages_send_no_referrer():
    """A result's address never travels on in a Referer: not from the result, its step, nor its reminder."""
    url, page = saved_result("lateral-right")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert page["Referrer-Policy"] == "no-referrer"
    stranger = Client()
    step = stranger.get(url)
    opened = stranger.post(url, {"csrfmiddlewaretoken": csrf_token(step.content.decode())})
    reminder = stranger.get(reverse("assessment:reminder", args=[token]), {"time": "21:30"})
    bad_time = stranger.get(reverse("assessment:reminder", args=[token]), {"time": "25:99"})
    shown = stranger.get(url)
    assert STEP_HEADING in step.content.decode() and "Your checks fit the pattern of" in shown.content.decode()
    # The step's own form posts back here, so it says same-origin: no other site ever gets the address,
    # and this site gets a real Origin to check the form by (no-referrer would make it "Origin: null").
    assert step["Referrer-Policy"] == "same-origin"
    for response in (
        opened,
        reminder,
        bad_time,
        shown,
        Client().get(reverse("assessment:reminder", args=[token])),
    ):
        assert response["Referrer-Policy"] == "no-referrer", response
    # Other pages keep the site-wide policy.
    assert Client().get(reverse("assessment:start"))["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_result_its_routine_and_the_step_never_put_the_private_address_in_a_tag():
    """No canonical link, no og:url: the head of a page at a result's address never carries its token, and a
    result (seen only by its own reader) carries no share tags at all."""
    reader = Client()
    finish(reader, "anterior")
    assessment = Assessment.objects.get()
    result, routine = result_url(assessment), reverse("assessment:routine", args=[assessment.token])
    pages = {
        "result": reader.get(result),
        "routine": reader.get(routine),
        "step": Client().get(result),
        "locked routine": Client().get(routine),
    }
    for name, response in pages.items():
        assert response.status_code in (200, 403), name
        head = response.content.decode().split("</head>", 1)[0]
        assert assessment.token not in head, name
        assert 'rel="canonical"' not in head and 'property="og:url"' not in head, name
    for name in ("result", "routine"):
        assert 'property="og:' not in pages[name].content.decode().split("</head>", 1)[0], name
    assert 'property="og:title" content="Open a saved self-check result"' in pages["step"].content.decode()


def test_a_results_own_rows_escape_whatever_text_they_hold(client):
    """Answers, reasons and scores are drawn in Python (assessment/templatetags/result_parts.py): text that
    looks like markup shows as text."""
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    assessment = AssessmentFactory(
        outcome=Assessment.Outcome.ANTERIOR,
        answers=[{"question": f"Belt line {hostile}?", "answer": hostile, "role": "check"}],
        plan={
            "leaders": [
                {
                    "code": "anterior-pelvic-tilt",
                    "name": "Anterior pelvic tilt",
                    "summary": "",
                    "stretches": [],
                    "strengthen": "",
                    "reasons": [{"question": f"Q {hostile}", "answer": hostile, "finding": "weak"}],
                }
            ],
            "context": [{"question": f"Where {hostile}", "answer": hostile}],
            "names": {"anterior-pelvic-tilt": f"Forward {hostile}"},
            "routine": [],
            "total_minutes": 0,
        },
    )
    session = client.session
    session[OPENED_KEY] = [assessment.token]
    session.save()
    html = client.get(result_url(assessment)).content.decode()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert f"You answered: “{escaped}” (a weak sign on its own)." in html
    assert f'<dd class="answer-value">{escaped}</dd>' in html
    assert f"Forward {escaped}</label>" in html
