"""Pages for readers: the home page, article lists and article pages, muscle and stretch guides."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .body_map import body_map
from .models import Article, Category, Muscle, SitePage, Stretch

ARTICLES_PER_PAGE = 10


def home(request):
    """Render the home page: featured articles, the self-check call, the muscle grid, what the site covers."""
    published = Article.objects.published().select_related("category")
    featured = list(published.filter(featured=True)[:4]) or list(published[:4])
    context = {
        "featured": featured,
        "latest": published.exclude(featured=True)[:6],
        "muscles": Muscle.objects.only("name", "slug", "summary"),
    }
    return render(request, "articles/home.html", context)


def _paginate(request, queryset):
    # get_page turns "abc" into page 1 and 99999 into the last page: the nearest valid page.
    return Paginator(queryset, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))


def article_list(request):
    """Render all published articles, newest first, ten to a page."""
    page = _paginate(request, Article.objects.published().select_related("category"))
    categories = Category.objects.filter(articles__in=Article.objects.published()).distinct()
    return render(request, "articles/article_list.html", {"page_obj": page, "categories": categories})


def category_detail(request, slug):
    """Render one category's published articles, paginated."""
    category = get_object_or_404(Category, slug=slug)
    page = _paginate(request, category.articles.published().select_related("category"))
    return render(request, "articles/category_detail.html", {"category": category, "page_obj": page})


def article_detail(request, slug):
    """Render an article. Staff may preview drafts and scheduled articles; readers get 404."""
    queryset = Article.objects.select_related("category").prefetch_related("related_muscles")
    can_preview = request.user.is_active and request.user.is_staff and request.user.has_perm("articles.view_article")
    if not can_preview:
        queryset = queryset.published()
    article = get_object_or_404(queryset, slug=slug)
    related = article.related_articles.published().select_related("category")[:3]
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "related": related, "preview": not article.is_live},
    )


def muscle_list(request):
    """Render the muscle directory: the body map, whose regions link to each muscle, and the same as a list."""
    muscles = list(Muscle.objects.annotate(stretch_total=Count("stretches")).order_by("order", "name"))
    return render(request, "articles/muscle_list.html", {"muscles": muscles, "body_map": body_map(muscles=muscles)})


def _get_muscle(slug, queryset=None):
    # Slugs are at most 100 characters; anything longer cannot match, so spare the database.
    if len(slug) > Muscle._meta.get_field("slug").max_length:
        raise Http404("No such muscle.")
    return get_object_or_404(queryset if queryset is not None else Muscle.objects.all(), slug=slug)


def muscle_detail(request, slug):
    """Render one muscle: what it does, why it tightens, where its trigger points refer pain, its stretches and
    the published articles about it."""
    muscle = _get_muscle(
        slug,
        Muscle.objects.prefetch_related(
            "stretches",
            Prefetch(
                "articles",
                queryset=Article.objects.published().select_related("category").order_by("title"),
                to_attr="published_articles",
            ),
        ),
    )
    context = {
        "muscle": muscle,
        "stretches": muscle.stretches.all(),
        "articles": muscle.published_articles,
        "body_map": body_map(current=muscle, referrals=muscle.referral_regions),
    }
    return render(request, "articles/muscle_detail.html", context)


def stretch_detail(request, muscle_slug, slug):
    """Render one stretch: numbered steps, technique, dose, the hold timer, cautions, picture and video."""
    if len(slug) > Stretch._meta.get_field("slug").max_length:
        raise Http404("No such stretch.")
    muscle = _get_muscle(muscle_slug)
    # A muscle has a handful of stretches: one query fetches the page's stretch and its siblings.
    stretches = list(muscle.stretches.all())
    stretch = next((candidate for candidate in stretches if candidate.slug == slug), None)
    if stretch is None:
        raise Http404("No such stretch for this muscle.")
    others = [other for other in stretches if other.pk != stretch.pk]
    context = {"stretch": stretch, "muscle": muscle, "others": others, "video": stretch.video}
    return render(request, "articles/stretch_detail.html", context)


MAX_QUERY_LENGTH = 200


def search(request):
    """Render search results for ``?q=``: published articles whose words match every search term.

    Titles that match rank above matches in the summary or body.
    """
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]
    terms = query.split()[:10]
    page = None
    if terms:
        matches = Article.objects.published().select_related("category")
        for term in terms:
            matches = matches.filter(Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term))
        title_hit = Q()
        for term in terms:
            title_hit |= Q(title__icontains=term)
        matches = matches.annotate(
            title_rank=Case(When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField())
        ).order_by("-title_rank", "-published_at")
        page = _paginate(request, matches)
    extra_query = urlencode({"q": query}) + "&"
    return render(request, "articles/search.html", {"query": query, "page_obj": page, "extra_query": extra_query})


def site_map(request):
    """Render the HTML site map: every public page, grouped by kind."""
    categories = Category.objects.prefetch_related(
        Prefetch("articles", queryset=Article.objects.published().order_by("title"), to_attr="live_articles")
    )
    return render(request, "articles/site_map.html", {"categories": categories, "pages": SitePage.objects.all()})


def site_page(request, slug):
    """Render one editable site page (about, disclaimer, privacy, contact)."""
    page = get_object_or_404(SitePage, slug=slug)
    return render(request, "articles/site_page.html", {"page": page})
