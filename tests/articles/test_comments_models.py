"""The Comment model: on exactly one page, with one definition of "approved" and "pending"."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Comment
from backpain.models import RateLimit
from tests.factories import ArticleFactory, CommentFactory, MuscleFactory

pytestmark = pytest.mark.django_db


def test_a_comment_must_be_on_exactly_one_page():
    with pytest.raises(IntegrityError):
        CommentFactory(article=ArticleFactory(), muscle=MuscleFactory())


def test_a_comment_must_be_on_some_page():
    with pytest.raises(IntegrityError):
        CommentFactory(article=None)


def test_target_is_the_article_or_the_muscle():
    muscle = MuscleFactory(name="Psoas")
    comment = CommentFactory(article=None, muscle=muscle, name="Ana")
    assert comment.target == muscle
    assert str(comment) == "Ana on Psoas"
    assert comment.get_absolute_url() == f"{muscle.get_absolute_url()}#comment-{comment.pk}"
    article = ArticleFactory()
    comment.target = article
    assert (comment.article, comment.muscle) == (article, None)


def test_approved_and_pending_are_defined_once():
    article = ArticleFactory()
    approved = CommentFactory(article=article)
    pending = CommentFactory(article=article, status=Comment.Status.PENDING)
    urgent = CommentFactory(article=article, status=Comment.Status.PENDING, needs_priority_review=True)
    CommentFactory(article=article, status=Comment.Status.REJECTED)
    assert list(Comment.objects.approved()) == [approved]
    assert list(Comment.objects.pending()) == [urgent, pending]
    assert list(Comment.objects.on(ArticleFactory())) == []
    with pytest.raises(TypeError):
        Comment.objects.on(object())


def test_a_rate_limit_window_allows_the_limit_then_refuses_until_it_closes():
    hour = datetime.timedelta(hours=1)
    assert [RateLimit.objects.hit("test", "v", 3, hour) for _ in range(5)] == [True, True, True, False, False]
    assert RateLimit.objects.hit("test", "someone-else", 3, hour)
    assert RateLimit.objects.hit("other-scope", "v", 3, hour)
    RateLimit.objects.filter(visitor_hash="v").update(window_start=timezone.now() - hour)
    assert RateLimit.objects.hit("test", "v", 3, hour)
    assert RateLimit.objects.get(scope="test", visitor_hash="v").count == 1
