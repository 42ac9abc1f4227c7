from playwright.sync_api import expect

from tests.factories import make_editor


def test_admin_works_under_the_content_security_policy(page, site):
    """An editor signs in and edits an article; the browser reports no policy violation on the way."""
    make_editor("editor")
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Why stretch at bedtime?").click()
    page.get_by_label("Title:").fill("Why stretch at bedtime? (revised)")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Title:").press_sequentially("A new article")
    expect(page.get_by_label("Slug:")).to_have_value("a-new-article")
    assert violations == []
