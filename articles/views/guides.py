"""The stretch guides: the muscle directory with its body map, each muscle, each stretch, and their guided routines."""

import math

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from backpain.pagecache import cache_public_page

from ..body_map import body_map
from ..models import (
    Article,
    Comment,
    Muscle,
    Stretch,
    clean_side,
)
from .comments import COMMENTS_QUERY, comments_context


@cache_public_page
def stretch_list(request):
    """Render the stretch guides by muscle: the body map, whose regions link to each muscle, and the same as a list."""
    muscles = list(Muscle.objects.annotate(stretch_total=Count("stretches")).order_by("order", "name"))
    return render(request, "articles/muscle_list.html", {"muscles": muscles, "body_map": body_map(muscles=muscles)})


def _get_muscle(slug, queryset=None):
    # Slugs are at most 100 characters; anything longer cannot match, so spare the database.
    if len(slug) > Muscle._meta.get_field("slug").max_length:
        raise Http404("No such muscle.")
    return get_object_or_404(queryset if queryset is not None else Muscle.objects.all(), slug=slug)


@cache_public_page(query=COMMENTS_QUERY)
def muscle_detail(request, slug, comment_form=None):
    """Render one muscle: what it does, why it tightens, where its trigger points refer pain, its stretches,
    the published articles about it and readers' comments."""
    muscle = _get_muscle(
        slug,
        Comment.objects.approved_count_for(Muscle.objects.all()).prefetch_related(
            "stretches",
            Prefetch(
                "articles",
                queryset=Article.objects.published().select_related("category").order_by("title"),
                to_attr="published_articles",
            ),
        ),
    )
    context = {**muscle_context(muscle, muscle.published_articles), **comments_context(request, muscle, comment_form)}
    return render(request, "articles/muscle_detail.html", context)


def muscle_context(muscle, articles):
    """What ``articles/muscle_detail.html`` shows of ``muscle`` besides its comments (also the admin's preview)."""
    return {
        "muscle": muscle,
        "stretches": muscle.stretches.all(),
        "articles": articles,
        "body_map": body_map(current=muscle, referrals=muscle.referral_regions),
    }


def _get_stretch(muscle_slug, slug):
    """The muscle, the stretch ``slug`` of it and its other stretches (one query for all), or a 404."""
    if len(slug) > Stretch._meta.get_field("slug").max_length:
        raise Http404("No such stretch.")
    muscle = _get_muscle(muscle_slug)
    # A muscle has a handful of stretches: one query fetches the page's stretch and its siblings.
    stretches = list(muscle.stretches.all())
    stretch = next((candidate for candidate in stretches if candidate.slug == slug), None)
    if stretch is None:
        raise Http404("No such stretch for this muscle.")
    return muscle, stretch, [other for other in stretches if other.pk != stretch.pk]


@cache_public_page(query=["side"])
def stretch_detail(request, muscle_slug, slug, helpful_vote_form=None):
    """Render one stretch: numbered steps, technique, dose, the hold timer, cautions, picture and video.

    ``helpful_vote_form`` is a reader's "Was this page helpful?" answer with errors, when ``helpful_vote``
    shows the page again.

    ``?side=left``, ``right`` or ``each`` (a self-check plan's link) makes every word about sides, and the
    timer, follow that side; any other value is no side. Such pages are never cached (they have a query).
    """
    muscle, stretch, others = _get_stretch(muscle_slug, slug)
    side = "" if stretch.is_both_legs else _requested_side(request)
    context = {**stretch_context(muscle, stretch, others, side), "helpful_vote_form": helpful_vote_form}
    return render(request, "articles/stretch_detail.html", context)


def stretch_context(muscle, stretch, others, side=""):
    """What ``articles/stretch_detail.html`` shows of ``stretch`` (also the admin's preview)."""
    return {"stretch": stretch, "muscle": muscle, "others": others, "video": stretch.video, "side": side}


def _requested_side(request):
    """The side named by ``?side=`` (left, right or each, as a plan links to it), or "" for none or junk."""
    values = request.GET.getlist("side")
    return clean_side(values[0]) if len(values) == 1 else ""


def routine_context(steps, **extra):
    """What ``includes/routine.html`` needs for ``steps``, a list of ``{"stretch", "side", "muscle", "url"}``:
    the steps, numbered, and the whole time in minutes (rounded up, as a self-check plan counts it)."""
    seconds = sum(step["stretch"].total_seconds(step["side"]) for step in steps)
    return {"steps": steps, "total_minutes": math.ceil(seconds / 60), **extra}


def _step(stretch, muscle, side=""):
    return {"stretch": stretch, "side": side, "muscle": muscle.name, "url": stretch.url_for_side(side)}


@cache_public_page(query=["side"])
def stretch_routine(request, muscle_slug, slug):
    """Render tonight's routine of one stretch: a printable list, and a step-by-step player with JavaScript.

    ``?side=`` as on the stretch's page (a self-check plan's side); without one, each side in turn.
    """
    muscle, stretch, _ = _get_stretch(muscle_slug, slug)
    side = "" if stretch.is_both_legs else _requested_side(request)
    context = routine_context([_step(stretch, muscle, side)], muscle=muscle, stretch=stretch)
    return render(request, "articles/routine.html", context)


@cache_public_page
def muscle_routine(request, slug):
    """Render tonight's routine of every stretch for one muscle, in the muscle page's order, each side in turn."""
    muscle = _get_muscle(slug)
    stretches = list(muscle.stretches.all())
    if not stretches:
        raise Http404("This muscle has no stretches yet.")
    context = routine_context([_step(stretch, muscle) for stretch in stretches], muscle=muscle)
    return render(request, "articles/routine.html", context)
