import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from articles.models import Article, Category, InformationLink, Muscle, SitePage, Stretch

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    call_command("load_site_content", stdout=out)
    return out.getvalue()


def test_site_content_makes_a_real_site():
    """At least six published articles of 600+ words, the site pages, the sidebar, five muscles."""
    load()
    published = Article.objects.published()
    assert published.count() >= 6
    for article in published:
        assert len(article.body.split()) >= 600, article.slug
        assert article.toc and article.reviewed_on and article.next_review_due
    assert set(SitePage.objects.values_list("slug", flat=True)) == {"about", "disclaimer", "privacy", "contact"}
    assert InformationLink.objects.count() >= 5
    assert Muscle.objects.count() == 5
    assert all(muscle.stretches.count() >= 2 for muscle in Muscle.objects.all())
    assert Article.objects.filter(slug="effective-lower-back-stretches", related_muscles__slug="hamstrings").exists()


def test_loading_twice_changes_nothing():
    load()
    before = (Article.objects.count(), Category.objects.count(), Stretch.objects.count())
    history_before = Article.history.count()
    second = load()
    assert (Article.objects.count(), Category.objects.count(), Stretch.objects.count()) == before
    assert Article.history.count() == history_before
    assert "created" not in second


def test_reloading_never_overwrites_an_editors_change_or_revives_a_deletion():
    load()
    article = Article.objects.get(slug="why-stretch-at-bedtime")
    article.title = "Stretch before sleep (edited)"
    article.save()
    Article.objects.filter(slug="when-back-pain-needs-a-doctor").delete()
    load()
    assert Article.objects.get(slug="why-stretch-at-bedtime").title == "Stretch before sleep (edited)"
    assert not Article.objects.filter(slug="when-back-pain-needs-a-doctor").exists()


def test_create_local_editor_prints_the_sign_in_once():
    with override_settings(DEBUG=True, ADMIN_REQUIRE_2FA=False):
        first, second = io.StringIO(), io.StringIO()
        call_command("create_local_editor", stdout=first)
        call_command("create_local_editor", stdout=second)
    assert "password" in first.getvalue() and "otpauth://" not in first.getvalue()
    assert "password" not in second.getvalue() and "already exists" in second.getvalue()


@pytest.mark.parametrize(
    ("options", "environ", "address"),
    [
        ({"port": 8123}, {}, "http://127.0.0.1:8123/admin/"),
        ({"port": 9000, "host": "localhost"}, {}, "http://localhost:9000/admin/"),
        ({"url": "https://backpain.example/"}, {}, "https://backpain.example/admin/"),
        ({}, {"PORT": "8765"}, "http://127.0.0.1:8765/admin/"),
        ({}, {"SITE_URL": "https://editors.example"}, "https://editors.example/admin/"),
    ],
)
def test_create_local_editor_names_the_address_it_will_be_served_on(monkeypatch, options, environ, address):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    call_command("create_local_editor", stdout=out, **options)
    assert f"sign in at  {address}\n" in out.getvalue()
    again = io.StringIO()
    call_command("create_local_editor", stdout=again, **options)
    assert f"Sign in at {address}" in again.getvalue()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "backpain.example", "ftp://example.com", "http://"])
def test_create_local_editor_refuses_an_address_that_is_not_a_web_address(url):
    with pytest.raises(CommandError, match="must be an http:// or https:// address"):
        call_command("create_local_editor", stdout=io.StringIO(), url=url)
    assert not User.objects.exists()


def test_create_local_editor_with_two_factor_on_sets_up_an_authenticator_app():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    out = io.StringIO()
    with override_settings(DEBUG=False, ADMIN_REQUIRE_2FA=True):
        call_command("create_local_editor", stdout=out, port=8000)
    [device] = TOTPDevice.objects.all()
    assert device.confirmed and device.user.username == "editor" and not device.user.is_superuser
    assert device.config_url in out.getvalue() and "otpauth://totp/" in out.getvalue()
    assert "█" in out.getvalue()  # the QR code, drawn in the terminal


def test_the_old_name_still_loads_the_content_and_says_it_is_deprecated():
    """Deploy scripts written for load_demo_content keep working, and are told the new name."""
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo_content", stdout=out, stderr=err)
    assert Article.objects.published().count() >= 6 and Muscle.objects.count() == 5
    assert "Articles and pages: " in out.getvalue()
    assert "deprecated" in err.getvalue() and "load_site_content" in err.getvalue()


def as_loaded_before_review_governance(slug, body):
    """Make ``slug`` look as the release before 2 December 2026 left it: older text, fingerprinted with the
    review fields that release shipped."""
    from articles.management.commands.load_site_content import OLDER_REVIEW_VALUES
    from backpain.models import DemoContent
    from backpain.seeding import checksum

    Article.objects.filter(slug=slug).update(body=body)
    article = Article.objects.get(slug=slug)
    names = ["title", "summary", "body", "category", "status", "published_at", "featured", "seo_description"]
    values = {name: getattr(article, name) for name in names} | OLDER_REVIEW_VALUES
    DemoContent.objects.filter(key=f"article:{slug}").update(checksum=checksum(values))


def test_an_article_untouched_since_an_older_release_gets_the_new_text():
    load()
    shipped = Article.objects.get(slug="why-stretch-at-bedtime").body
    as_loaded_before_review_governance("why-stretch-at-bedtime", "Old text: a muscle stays relaxed for hours.")
    load()
    assert Article.objects.get(slug="why-stretch-at-bedtime").body == shipped


def test_an_article_an_editor_changed_under_an_older_release_is_kept():
    load()
    as_loaded_before_review_governance("why-stretch-at-bedtime", "Old text.")
    Article.objects.filter(slug="why-stretch-at-bedtime").update(body="An editor's own words.")
    load()
    assert Article.objects.get(slug="why-stretch-at-bedtime").body == "An editor's own words."


def test_make_run_prints_the_sign_in_for_the_port_it_serves_on():
    """`make run PORT=8123` serves on 8123 and the editor's printed sign-in names 8123 too."""
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    plan = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=root, capture_output=True, text=True).stdout
    assert "manage.py create_local_editor --host 127.0.0.1 --port 8123" in plan
    assert "manage.py run_site 127.0.0.1:8123" in plan
