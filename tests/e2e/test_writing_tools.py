"""The Markdown editor in a real browser: the preview follows the typing, the link picker inserts a link, and
the browser reports no security-policy violation on the way (as tests/e2e/test_admin_csp.py checks)."""

import re

from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_editor


def sign_in(page):
    make_editor("editor")
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def test_typing_updates_the_preview_and_the_picker_inserts_a_link(page, site):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page)
    article = Article.objects.get(slug="why-stretch-at-bedtime")
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    body = page.locator("#id_body")
    preview = page.get_by_role("region", name="Preview, as readers will see it")
    expect(preview).to_be_visible()
    expect(preview.get_by_role("heading", name="Why bedtime?")).to_be_visible()

    body.fill("## Gentle start\n\nHold each stretch *softly*.\n\n![outside](https://img.example/x.png)")
    expect(preview.get_by_role("heading", name="Gentle start")).to_be_visible()
    expect(preview.locator("em", has_text="softly")).to_be_visible()
    expect(preview).to_contain_text("“https://img.example/x.png” is on another website")
    expect(preview.get_by_role("status")).to_contain_text("1 problem to fix before saving")

    body.fill("Read the ")
    body.press("End")
    page.get_by_role("button", name="Insert a link to a page").click()
    dialog = page.get_by_role("dialog", name="Insert a link to a page")
    search = dialog.get_by_label("Search the site's pages")
    expect(search).to_be_focused()
    search.fill("no page is called this")
    expect(dialog.get_by_role("status")).to_have_text("0 pages")
    search.press("Escape")
    expect(dialog).to_be_hidden()
    expect(body).to_be_focused()
    page.get_by_role("button", name="Insert a link to a page").click()
    expect(search).to_have_value("")
    search.fill("hamstrings")
    first = dialog.get_by_role("button", name=re.compile(r"^Hamstrings\b"))
    expect(first).to_be_visible()
    search.press("ArrowDown")
    expect(dialog.get_by_role("button").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(body).to_be_focused()
    expect(body).to_have_value("Read the [Hamstrings](/stretches/hamstrings/)")
    expect(preview.get_by_role("link", name="Hamstrings")).to_have_attribute("href", "/stretches/hamstrings/")

    body.press("End")
    page.get_by_role("button", name="Insert a picture").click()
    pictures = page.get_by_role("dialog", name="Insert a picture")
    pictures.get_by_label("Search the pictures").fill("childs pose side")
    pictures.get_by_role("button", name=re.compile("Childs pose side reach")).click()
    expect(pictures).to_be_hidden()
    page.keyboard.type("Kneeling, reaching to one side")
    expect(body).to_have_value(
        re.compile(
            r"^Read the \[Hamstrings\]\(/stretches/hamstrings/\)\n\n!\[Kneeling, reaching to one side\]"
            r"\(/static/img/stretches/childs-pose-side-reach\.[\w.]*svg\)\n\n$"
        )
    )
    expect(preview.get_by_role("img", name="Kneeling, reaching to one side")).to_be_visible()

    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    article.refresh_from_db()
    assert article.body.replace("\r\n", "\n").startswith(
        "Read the [Hamstrings](/stretches/hamstrings/)\n\n![Kneeling, reaching to one side]"
    )
    assert violations == []


def test_on_a_narrow_screen_the_preview_starts_hidden_and_the_toggle_shows_it(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page)
    page.goto("/admin/articles/article/add/")
    toggle = page.get_by_role("button", name="Show preview")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    preview = page.locator(".md-preview")
    expect(preview).to_be_hidden()
    page.locator("#id_body").fill("Plain *words*.")
    toggle.click()
    expect(page.get_by_role("button", name="Hide preview")).to_have_attribute("aria-expanded", "true")
    expect(preview.locator("em", has_text="words")).to_be_visible()
