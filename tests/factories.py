"""Factories for test data, in one place."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Category, Comment, InformationLink, Muscle, Stretch


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    description = "Articles about one topic."


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary of the article."
    body = "## First part\n\nSome words about stretching.\n\n## Second part\n\nMore words."
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    reviewed_on = datetime.date(2026, 1, 1)
    next_review_due = datetime.date(2030, 1, 1)


class InformationLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationLink

    article = factory.SubFactory(ArticleFactory)
    order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


def editors_group():
    """The Editors group as ``migrate`` leaves it (``backpain.editors``; a test's flush makes it again)."""
    return Group.objects.get(name="Editors")


def make_editor(username="editor"):
    """A staff user in the Editors group, with exactly the permissions the site gives editors."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(editors_group())
    return user


class MuscleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Muscle
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Muscle {n}")
    slug = factory.Sequence(lambda n: f"muscle-{n}")
    other_names = "Another name, a third name"
    summary = "A muscle that matters in lower back pain."
    location = "At the back of the body."
    action = "It moves the hip."
    why_it_tightens = "- Long hours of sitting."
    trigger_points = "Tender spots near the top."
    referred_pain = "Pain may be felt in the buttock."
    referral_regions = factory.LazyFunction(lambda: ["buttock", "lower-back"])
    body_view = Muscle.BodyView.BACK


class StretchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stretch

    muscle = factory.SubFactory(MuscleFactory)
    name = factory.Sequence(lambda n: f"Stretch {n}")
    slug = factory.Sequence(lambda n: f"stretch-{n}")
    summary = "A gentle stretch for bedtime."
    steps = factory.LazyFunction(lambda: ["Lie on your back.", "Bring one knee up.", "Hold and breathe."])
    technique = Stretch.Technique.STATIC
    hold_seconds = 30
    repetitions = 3
    rest_seconds = 15
    what_you_should_feel = "A mild pull."
    cautions = "- Stop if it hurts."
    order = factory.Sequence(lambda n: n)


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved comment on an article; pass ``muscle=`` and ``article=None`` for a muscle page."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    body = "Thanks, the hip flexor stretch helped me a lot."
    status = Comment.Status.APPROVED
    visitor_hash = "0" * 64
