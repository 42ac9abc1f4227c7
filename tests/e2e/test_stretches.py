"""Browser tests for the stretch guides: the body map, the hold timer, the video facade, no-JS reading, axe."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Muscle, Stretch
from tests.e2e.conftest import assert_accessible
from tests.factories import StretchFactory

SHIPPED = ["Hip flexors", "Hamstrings", "Adductors", "Quadratus lumborum", "Erector spinae"]
KNEELING = "/stretches/hip-flexors/kneeling-hip-flexor-stretch/"  # static: 30 s holds, 3 times, 15 s rest, one-sided
KNEES_TO_CHEST = "/stretches/erector-spinae/knees-to-chest/"  # static, both legs at once
SIDE_BEND = "/stretches/quadratus-lumborum/standing-side-bend-contract-relax/"  # contract-relax, one-sided


def timer_text(page):
    timer = page.locator("section.hold-timer")
    return {
        "phase": timer.locator("[data-timer-phase]").inner_text(),
        "seconds": int(timer.locator("[data-timer-seconds]").inner_text()),
        "step": timer.locator("[data-timer-step]").inner_text(),
        "announced": timer.locator("[aria-live=polite]").inner_text(),
    }


def watch_timer_text(page):
    """Record every text the timer shows or announces from now on, in ``window.timerTexts``."""
    page.evaluate(
        """() => {
            const timer = document.querySelector("section.hold-timer");
            window.timerTexts = [];
            new MutationObserver(() => window.timerTexts.push(timer.innerText + " " +
                timer.querySelector("[aria-live]").textContent)).observe(
                timer, { subtree: true, childList: true, characterData: true });
        }"""
    )


def seen_timer_text(page):
    return " ".join(page.evaluate("window.timerTexts"))


def test_directory_body_map_links_every_muscle_and_is_keyboard_reachable(page):
    page.goto("/stretches/")
    body_map = page.locator("svg.body-map")
    for name in SHIPPED:
        region = body_map.get_by_role("link", name=name, exact=True)
        assert region.count() == 1, name
        assert page.locator(".muscle-list").get_by_role("link", name=name, exact=True).count() == 1
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg') !== null"):
            break
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused in SHIPPED
    stroke = page.evaluate("getComputedStyle(document.activeElement.querySelector('path')).strokeWidth")
    assert stroke == "3px"  # the visible focus style
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/stretches/[a-z-]+/$"))
    assert page.locator("h1").inner_text() == focused
    assert_accessible(page)


def test_directory_and_muscle_page_pass_axe(page):
    page.goto("/stretches/")
    assert_accessible(page)
    page.goto("/stretches/quadratus-lumborum/")
    assert page.locator("svg.body-map .referral-area").count() >= 6
    expect(page.get_by_role("heading", name="Areas shaded on the map")).to_be_visible()
    assert_accessible(page)
    assert page.external_requests == []


def test_hold_timer_counts_holds_rests_repetitions_pauses_and_switches_sides(page):
    """The real script runs on Playwright's clock: hold, rest, the next repetition, pause, then from the left
    side to the right (a one-sided stretch opened without a side is each side in turn)."""
    page.clock.install()
    page.goto(KNEELING)
    timer = page.locator("section.hold-timer")
    expect(timer).to_be_visible()
    assert timer_text(page)["phase"] == "Ready"

    page.get_by_role("button", name="Start").click()
    state = timer_text(page)
    assert state["phase"] == "Hold" and state["seconds"] == 30
    assert state["step"] == "Left side: repetition 1 of 3"
    assert state["announced"].startswith("Hold for 30 seconds.")

    page.clock.run_for(10_000)
    assert timer_text(page)["seconds"] == 20

    page.clock.run_for(20_500)
    state = timer_text(page)
    assert state["phase"] == "Rest" and state["announced"].startswith("Rest for 15 seconds")

    page.clock.run_for(15_000)
    state = timer_text(page)
    assert state["phase"] == "Hold" and state["step"] == "Left side: repetition 2 of 3"

    page.get_by_role("button", name="Pause").click()
    paused_at = timer_text(page)["seconds"]
    assert timer_text(page)["announced"].startswith("Paused.")
    page.clock.run_for(20_000)
    assert timer_text(page)["seconds"] == paused_at  # a paused timer does not count down

    page.get_by_role("button", name="Resume").click()
    page.clock.run_for((paused_at + 15 + 30) * 1000)  # rest of this hold, the rest, the last hold
    state = timer_text(page)
    assert state["phase"] == "Switch sides"
    assert "Switch to your right side" in state["announced"] and state["step"] == "Next: right side"

    page.clock.run_for(15_000)  # the switch lasts the longer of the rest and 10 seconds
    state = timer_text(page)
    assert state["phase"] == "Hold" and state["step"] == "Right side: repetition 1 of 3"
    assert state["announced"].endswith("Right side: repetition 1 of 3.")

    page.get_by_role("button", name="Reset").click()
    assert timer_text(page)["phase"] == "Ready"
    expect(page.get_by_role("button", name="Start")).to_be_visible()


def test_contract_relax_timer_opened_for_the_left_side_times_only_the_left_side(page):
    stretch = Stretch.objects.get(slug="standing-side-bend-contract-relax")
    assert stretch.sides == Stretch.Sides.ONE
    page.clock.install()
    page.goto(SIDE_BEND + "?side=left")
    expect(page.locator("section.hold-timer")).to_contain_text("for your left side only")
    watch_timer_text(page)
    page.get_by_role("button", name="Start").click()
    assert timer_text(page)["phase"] == "Push"
    assert timer_text(page)["step"] == f"Left side: repetition 1 of {stretch.repetitions}"
    page.clock.run_for(stretch.contract_seconds * 1000 + 100)
    assert timer_text(page)["phase"] == "Relax"
    page.clock.run_for(stretch.relax_seconds * 1000)
    assert timer_text(page)["phase"] == "Stretch"
    page.clock.run_for(stretch.set_seconds * 1000)
    state = timer_text(page)
    assert state["phase"] == "Done" and state["step"] == "Left side finished."
    expect(page.get_by_role("button", name="Start again")).to_be_visible()
    seen = seen_timer_text(page)
    assert "Left side" in seen
    assert "Right side" not in seen and "right side" not in seen and "Switch" not in seen


@pytest.mark.parametrize("query", ["", "?side=left"])
def test_timer_on_a_both_legs_stretch_runs_one_set_with_no_switch(page, query):
    stretch = Stretch.objects.get(slug="knees-to-chest")
    assert stretch.is_both_legs
    page.clock.install()
    page.goto(KNEES_TO_CHEST + query)
    expect(page.locator("section.hold-timer")).to_contain_text("for both legs together")
    watch_timer_text(page)
    page.get_by_role("button", name="Start").click()
    state = timer_text(page)
    assert state["phase"] == "Hold" and state["step"] == f"Both legs: repetition 1 of {stretch.repetitions}"
    page.clock.run_for(stretch.set_seconds * 1000 - 500)
    state = timer_text(page)
    assert state["phase"] == "Hold" and state["step"] == f"Both legs: repetition {stretch.repetitions} of 3"
    page.clock.run_for(1000)  # one set, not two: it ends here
    state = timer_text(page)
    assert state["phase"] == "Done" and state["step"] == "Both legs finished."
    seen = seen_timer_text(page)
    assert "switch" not in seen.lower() and "Left side" not in seen and "Right side" not in seen


@pytest.fixture
def video_stretch(site):
    muscle = Muscle.objects.get(slug="hamstrings")
    return StretchFactory(
        muscle=muscle,
        name="Hamstring stretch with a video",
        slug="hamstring-video",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_seconds=150,
        illustration="img/stretches/lying-hamstring-stretch-strap.svg",
        image_alt="A person lies on their back on a bed with one leg raised straight in a strap.",
    )


def test_video_facade_requests_nothing_until_clicked(page, video_stretch):
    page.goto(video_stretch.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert page.locator("iframe").count() == 0
    assert page.external_requests == []
    facade = page.locator(".video-facade")
    expect(facade.locator("img.video-poster")).to_be_visible()
    facade.scroll_into_view_if_needed()  # the poster loads lazily, from this site
    page.wait_for_function(
        "() => { const img = document.querySelector('img.video-poster'); return img.complete && img.naturalWidth > 0; }"
    )
    expect(facade.locator(".video-duration")).to_have_text("2 min 30 s")
    expect(
        facade.get_by_text(
            "Plays from YouTube (youtube-nocookie.com). Nothing loads from YouTube until you press play."
        )
    ).to_be_visible()
    play = page.get_by_role("button", name="Play the video: Hamstring stretch with a video, 2 min 30 s")
    expect(play).to_be_visible()
    assert page.external_requests == []
    assert page.get_by_role("link", name="Watch on YouTube").get_attribute("href") == (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    assert_accessible(page)

    with page.expect_request(lambda request: "youtube-nocookie.com" in request.url):
        page.get_by_role("button", name=re.compile("Play the video")).click()
    iframe = page.locator("iframe.video-iframe")
    assert iframe.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?")
    assert iframe.get_attribute("title") == "Video: Hamstring stretch with a video"
    assert facade.locator("img.video-poster").count() == 0
    assert any("youtube-nocookie.com" in url for url in page.external_requests)
    assert not any(re.search(r"//(www\.)?youtube\.com/", url) for url in page.external_requests)


def test_shipped_stretch_pages_load_nothing_external_and_pass_axe(page):
    for stretch in Stretch.objects.select_related("muscle")[:4]:
        page.goto(stretch.get_absolute_url())
        assert page.locator("ol.stretch-steps > li").count() >= 3
        assert page.external_requests == []
    assert_accessible(page)


def test_stretch_page_works_without_javascript(browser, site, video_stretch):
    context = browser.new_context(base_url=site.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(KNEELING)
        assert page.locator("ol.stretch-steps > li").count() == 6
        expect(page.locator("ol.stretch-steps > li").first).to_be_visible()
        expect(page.locator(".dose-list").get_by_text("30 seconds")).to_be_visible()
        expect(page.locator("section.hold-timer")).not_to_be_visible()
        assert page.get_by_role("button", name="Start").count() == 0
        page.goto(video_stretch.get_absolute_url())
        expect(page.get_by_role("link", name="Watch on YouTube")).to_be_visible()
        expect(page.get_by_text("Nothing loads from YouTube until you press play.")).to_be_visible()
        assert page.get_by_role("button").filter(has_text="Play the video").count() == 0
    finally:
        context.close()
