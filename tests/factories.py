"""Factories for test data, in one place."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Category, InformationLink, Muscle, Stretch


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


class MuscleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Muscle
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Muscle {n}")
    slug = factory.Sequence(lambda n: f"muscle-{n}")
    summary = "A muscle that matters for the lower back."
    location = "Somewhere near the pelvis."
    action = "It moves the hip."
    why_it_tightens = "Long hours of sitting."


class StretchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stretch

    muscle = factory.SubFactory(MuscleFactory)
    name = factory.Sequence(lambda n: f"Stretch {n}")
    slug = factory.Sequence(lambda n: f"stretch-{n}")
    summary = "A gentle stretch."
    steps = ["Lie on your back.", "Lift one leg.", "Hold, breathing slowly."]
    hold_seconds = 30
    repetitions = 3
    rest_seconds = 15
    cautions = "Stop if it hurts."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


def make_editor(username="editor"):
    """A staff user in the Editors group, as the migration creates it."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
