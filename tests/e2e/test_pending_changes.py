"""An editor saves changes to a live article for later, a reader still sees the published text, then the editor
publishes them and the reader sees the new text; the preview opens the unsaved form in a new tab."""

from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_editor

PASSWORD = "correct horse battery staple"
ARTICLE = "Why stretch at bedtime?"
ADDED = "A sentence saved for later."


def test_save_for_later_then_publish(browser, site):
    make_editor("editor")
    article = Article.objects.get(title=ARTICLE)
    editor_context = browser.new_context(base_url=site.url)
    reader_context = browser.new_context(base_url=site.url)
    try:
        tab = editor_context.new_page()
        tab.goto("/admin/")
        tab.get_by_label("Username").fill("editor")
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        tab.wait_for_url("**/admin/")
        tab.goto(f"/admin/articles/article/{article.pk}/change/")
        body = tab.get_by_label("Body:")
        body.fill(body.input_value() + f"\n\n{ADDED}")

        # Preview: the unsaved form, in a new tab.
        with editor_context.expect_page() as opened:
            tab.get_by_role("button", name="Preview").first.click()
        preview = opened.value
        expect(preview.get_by_text(ADDED)).to_be_visible()
        expect(preview.get_by_role("status")).to_contain_text("nothing is saved")
        preview.close()

        tab.get_by_role("button", name="Save changes for later").first.click()
        expect(tab.get_by_text("Your changes are saved for later")).to_be_visible()
        expect(tab.locator(".pending-notice")).to_contain_text("readers see the published version")
        assert ADDED in tab.get_by_label("Body:").input_value()

        reader = reader_context.new_page()
        reader.goto(article.get_absolute_url())
        expect(reader.get_by_role("heading", level=1)).to_have_text(ARTICLE)
        expect(reader.get_by_text(ADDED)).to_have_count(0)

        tab.get_by_role("button", name="Publish changes").first.click()
        expect(tab.get_by_text("Published your changes: readers see them now.")).to_be_visible()
        reader.reload()
        expect(reader.get_by_text(ADDED)).to_be_visible()
    finally:
        editor_context.close()
        reader_context.close()
