"""The Editors group's permissions come from one declared list, applied after every migrate."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from backpain import editors

pytestmark = pytest.mark.django_db


def group_codenames():
    group = Group.objects.get(name="Editors")
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def listed_codenames():
    return {
        (app, codename) for app in ("articles", "assessment", "backpain") for codename in editors.codenames_for(app)
    }


def test_after_migrate_the_group_holds_exactly_what_the_list_grants():
    assert group_codenames() == listed_codenames()
    # Spot checks in plain words, so the list itself cannot drift unnoticed.
    assert ("articles", "moderate_comment") in group_codenames()
    assert ("articles", "add_comment") not in group_codenames()
    assert ("assessment", "change_assessment") not in group_codenames()
    assert ("assessment", "change_gentlestretch") in group_codenames()
    assert ("backpain", "change_searchterm") in group_codenames()
    assert ("backpain", "change_ratelimit") not in group_codenames()
    assert ("backpain", "resend_outgoingemail") in group_codenames()
    assert ("backpain", "change_outgoingemail") not in group_codenames()


def test_syncing_again_changes_nothing(django_assert_max_num_queries):
    before = group_codenames()
    with django_assert_max_num_queries(4):  # read wanted, the group and what it holds; write nothing
        editors.sync_editors_group(apps.get_app_config("articles"))
    editors.sync_all()
    assert group_codenames() == before
    assert Group.objects.filter(name="Editors").count() == 1


def test_a_permission_added_by_hand_is_taken_away_and_a_removed_one_comes_back():
    group = Group.objects.get(name="Editors")
    group.permissions.add(Permission.objects.get(codename="change_user"))
    group.permissions.remove(Permission.objects.get(codename="change_article"))
    editors.sync_all()
    assert ("auth", "change_user") not in group_codenames()
    assert ("articles", "change_article") in group_codenames()


def test_a_missing_group_is_created():
    Group.objects.filter(name="Editors").delete()
    editors.sync_all()
    assert group_codenames() == listed_codenames()


def test_a_new_line_in_the_list_is_all_a_model_needs(monkeypatch):
    monkeypatch.setitem(editors.EDITOR_PERMISSIONS, "backpain.ratelimit", editors.READ)
    editors.sync_editors_group(apps.get_app_config("backpain"))
    assert ("backpain", "view_ratelimit") in group_codenames()


def test_migrate_reapplies_the_list():
    group = Group.objects.get(name="Editors")
    group.permissions.remove(*group.permissions.filter(content_type__app_label="assessment"))
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert group_codenames() == listed_codenames()


@pytest.mark.django_db(transaction=True)
def test_the_group_survives_a_flush_between_transactional_tests():
    """Flushing empties every table; Django's post_migrate after the flush brings the group back whole."""
    call_command("flush", interactive=False, verbosity=0)
    assert group_codenames() == listed_codenames()


def test_the_check_names_a_model_that_is_not_installed_or_a_permission_it_lacks(monkeypatch):
    assert editors.check_editor_permissions() == []
    monkeypatch.setitem(editors.EDITOR_PERMISSIONS, "articles.artcle", editors.ALL)
    monkeypatch.setitem(editors.EDITOR_PERMISSIONS, "articles.muscle", ("view", "publish"))
    messages = [error.msg for error in editors.check_editor_permissions()]
    assert messages == [
        "EDITOR_PERMISSIONS gives 'publish' on 'articles.muscle', a permission that model does not have.",
        "EDITOR_PERMISSIONS names 'articles.artcle', which is not an installed model.",
    ]
