"""Two editors, two tabs, one article: the second save is refused, shows what differs, and loses nothing."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_editor

PASSWORD = "correct horse battery staple"
ARTICLE = "Why stretch at bedtime?"


def signed_in_tab(contexts, browser, site, username):
    context = browser.new_context(base_url=site.url)
    contexts.append(context)
    tab = context.new_page()
    tab.goto("/admin/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url("**/admin/")
    return tab


def open_article(tab):
    tab.goto("/admin/articles/article/")
    tab.get_by_role("link", name=ARTICLE).click()
    expect(tab.get_by_label("Title:")).to_have_value(ARTICLE)


def save(tab):
    tab.get_by_role("button", name="Save", exact=True).first.click()


@pytest.fixture
def contexts():
    """Browser windows of their own (one per editor), closed before the live server stops."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def test_the_second_save_is_refused_shows_the_differences_and_keeps_both_changes(browser, site, contexts):
    make_editor("editor")
    jo = make_editor("jo")
    jo.first_name, jo.last_name = "Jo", "Bloggs"
    jo.save()
    body_before = Article.objects.get(title=ARTICLE).body

    first, second = signed_in_tab(contexts, browser, site, "jo"), signed_in_tab(contexts, browser, site, "editor")
    open_article(first)
    open_article(second)

    # Jo adds a paragraph to the body and rewrites the summary, and saves first.
    body = first.get_by_label("Body:")
    body.fill(body.input_value() + "\n\nA line Jo added.")
    first.get_by_label("Summary:").fill("Jo's summary.")
    save(first)
    expect(first.get_by_text("was changed successfully")).to_be_visible()

    # The other editor, in a tab opened before Jo saved, changes the title and the summary.
    second.get_by_label("Title:").fill("Why stretch at bedtime? (revised)")
    second.get_by_label("Summary:").fill("My summary.")
    save(second)
    conflict = second.get_by_role("alert")
    expect(conflict).to_contain_text("Not saved: this article changed while you were editing")
    expect(conflict).to_contain_text("Jo Bloggs changed this article")
    # What both changed: the saved text beside theirs. What only Jo changed: taken into the form.
    expect(conflict.locator("tr", has_text="Summary")).to_contain_text("Jo's summary.")
    expect(conflict.locator("tr", has_text="Summary")).to_contain_text("My summary.")
    expect(conflict.locator(".edit-taken ins.diff-line", has_text="A line Jo added.")).to_be_visible()
    expect(second.get_by_label("Title:")).to_have_value("Why stretch at bedtime? (revised)")
    expect(second.get_by_label("Summary:")).to_have_value("My summary.")
    expect(second.get_by_label("Body:")).to_have_value(body_before + "\n\nA line Jo added.")
    stored = Article.objects.get(pk=Article.objects.get(body__contains="A line Jo added.").pk)
    assert stored.title == ARTICLE and stored.summary == "Jo's summary."

    # Saving again is deliberate: their title and summary, and Jo's paragraph.
    save(second)
    expect(second.get_by_text("was changed successfully")).to_be_visible()
    stored.refresh_from_db()
    assert stored.title == "Why stretch at bedtime? (revised)"
    assert stored.summary == "My summary."
    assert stored.body.replace("\r\n", "\n").endswith("A line Jo added.")
