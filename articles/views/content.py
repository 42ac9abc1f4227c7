"""Reading pages: home, the article list, categories and articles, search, the HTML site map and the site pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from backpain import search as site_search
from backpain.models import RateLimit
from backpain.pagecache import cache_public_page
from backpain.visitors import visitor_hash

from ..models import (
    Article,
    Category,
    Comment,
    Muscle,
    SitePage,
)
from .comments import COMMENTS_QUERY, comments_context

ARTICLES_PER_PAGE = 10


@cache_public_page
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


@cache_public_page(query=["page"])
def article_list(request):
    """Render all published articles, newest first, ten to a page."""
    page = _paginate(request, Article.objects.published().select_related("category"))
    categories = Category.objects.filter(Exists(Article.objects.published().filter(category=OuterRef("pk"))))
    return render(request, "articles/article_list.html", {"page_obj": page, "categories": categories})


@cache_public_page(query=["page"])
def category_detail(request, slug):
    """Render one category's published articles, paginated."""
    category = get_object_or_404(Category, slug=slug)
    page = _paginate(request, category.articles.published().select_related("category"))
    return render(request, "articles/category_detail.html", {"category": category, "page_obj": page})


@cache_public_page(query=COMMENTS_QUERY)
def article_detail(request, slug, comment_form=None, helpful_vote_form=None):
    """Render an article with its comments. Staff may preview drafts, scheduled and archived articles; readers get
    404 for a draft and the "retired" page (410 Gone) for an archived article.

    ``comment_form`` or ``helpful_vote_form`` is a reader's form with errors, when ``post_comment`` or
    ``helpful_vote`` shows the page again.
    """
    queryset = Comment.objects.approved_count_for(
        Article.objects.select_related("category").prefetch_related("related_muscles")
    )
    can_preview = request.user.is_active and request.user.is_staff and request.user.has_perm("articles.view_article")
    if not can_preview:
        queryset = queryset.published()
    article = queryset.filter(slug=slug).first()
    if article is None:
        retired = Article.objects.archived().filter(slug=slug).only("title", "slug").first()
        if retired is None:
            raise Http404("No such article.")
        return render(request, "articles/article_retired.html", {"article": retired}, status=410)
    related = article.related_articles.published().select_related("category")[:3]
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "related": related,
            "preview": not article.is_live,
            "helpful_vote_form": helpful_vote_form,
            **comments_context(request, article, comment_form),
        },
    )


RESULTS_PER_PAGE = 10


def search(request):
    """Render search results for ``?q=`` over every registered kind of page, best matches first, ten to a page.

    Words of one character, and words after the eighth, are left out, and the page says which. Readers' own
    words (``SearchTerm``) also find the pages' words, with the term's note above the results; a query that
    finds nothing is tried again with its typing slips corrected, saying so. Each search that runs counts
    towards the visitor's ``SEARCH_RATE_LIMIT``; past it they get a 429 page saying so.
    """
    query = site_search.clean_query(request.GET.get("q", ""))
    terms, too_short, too_many = site_search.parse_query(query)
    context = {
        "query": query,
        "terms": terms,
        "too_short": too_short,
        "too_many": too_many,
        "max_terms": site_search.MAX_TERMS,
        "max_results": site_search.MAX_RESULTS,
        "page_obj": None,
        "extra_query": urlencode({"q": query}) + "&",
    }
    if terms:
        if not RateLimit.objects.hit("search", visitor_hash(request), settings.SEARCH_RATE_LIMIT):
            response = render(request, "articles/search.html", {**context, "rate_limited": True}, status=429)
            response["Retry-After"] = str(settings.RATE_LIMIT_WINDOW_MINUTES * 60)
            return response
        expanded = site_search.expand(terms)
        results = site_search.search(query, expanded)
        corrected = "" if results else site_search.correction(terms)
        if corrected:
            fixed = site_search.expand(site_search.query_terms(corrected))
            fixed_results = site_search.search(corrected, fixed)
            if fixed_results:
                expanded, results = fixed, fixed_results
                context.update(corrected=corrected, extra_query=urlencode({"q": corrected}) + "&")
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        site_search.add_snippets(page.object_list, expanded.words)
        context.update(page_obj=page, notes=expanded.notes)
    return render(request, "articles/search.html", context)


@cache_public_page
def site_map(request):
    """Render the HTML site map: every public page, grouped by kind."""
    categories = Category.objects.prefetch_related(
        Prefetch("articles", queryset=Article.objects.published().order_by("title"), to_attr="live_articles")
    )
    muscles = Muscle.objects.prefetch_related("stretches")
    # Pages other apps register (e.g. home self-tests) appear under their own heading.
    other_sections = [
        (source.site_map_heading, list(source.queryset()))
        for source in site_search.sources()
        if source.site_map_heading
    ]
    context = {
        "categories": categories,
        "muscles": muscles,
        "other_sections": other_sections,
        "pages": SitePage.objects.all(),
    }
    return render(request, "articles/site_map.html", context)


@cache_public_page
def site_page(request, slug):
    """Render one editable site page (about, disclaimer, privacy)."""
    page = get_object_or_404(SitePage, slug=slug)
    return render(request, "articles/site_page.html", {"page": page})
