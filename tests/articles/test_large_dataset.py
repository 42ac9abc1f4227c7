import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Comment
from backpain.models import ContentVersion

pytestmark = pytest.mark.django_db


def test_refuses_without_debug_or_the_explicit_flag():
    with pytest.raises(CommandError, match="--yes-i-mean-it"):
        call_command("generate_large_dataset", articles=3, comments=5, stdout=io.StringIO())
    assert not Article.objects.exists()


def test_adds_published_articles_and_approved_comments_once():
    before = ContentVersion.current()
    options = {"articles": 30, "comments": 100, "yes_i_mean_it": True, "stdout": io.StringIO()}
    call_command("generate_large_dataset", **options)
    call_command("generate_large_dataset", **options)
    assert Article.objects.published().count() == 30
    assert Comment.objects.approved().count() == 100
    assert ContentVersion.current() > before
