"""Which of this app's pages an editor's link may go to, and the pages the link picker offers
(registered with ``backpain.links`` and ``backpain.writing`` from ``ArticlesConfig.ready``)."""

from django.urls import reverse
from django.utils import timezone

from backpain import links, writing

from .models import Article, Category, Muscle, SitePage, Stretch

NOT_A_PAGE = "it is the address a form sends to, not a page"


def article_problem(slug, **kwargs):
    article = Article.objects.filter(slug=slug).only("status", "title").first()
    if article is None:
        return "no article has this address"
    if article.status == Article.Status.DRAFT:
        return f"the article “{article.title}” is a draft (publish it, or schedule it, first)"
    if article.status == Article.Status.ARCHIVED:
        return f"the article “{article.title}” is archived (retired)"
    return None  # published, now or at its scheduled time


def category_problem(slug, **kwargs):
    return None if Category.objects.filter(slug=slug).exists() else "no category has this address"


def muscle_problem(slug, **kwargs):
    return None if Muscle.objects.filter(slug=slug).exists() else "no stretch guide has this address"


def stretch_problem(muscle_slug, slug, **kwargs):
    if Stretch.objects.filter(muscle__slug=muscle_slug, slug=slug).exists():
        return None
    return "no stretch has this address"


def site_page_problem(slug, **kwargs):
    return None if SitePage.objects.filter(slug=slug).exists() else "this page has not been written yet"


def not_a_page(**kwargs):
    return NOT_A_PAGE


def article_pages():
    now = timezone.now()
    articles = (
        Article.objects.filter(status=Article.Status.PUBLISHED).order_by("title").only("title", "slug", "published_at")
    )
    return [
        links.Page(
            "Article",
            article.title,
            article.get_absolute_url(),
            f"Scheduled for {timezone.localtime(article.published_at):%d %b %Y %H:%M}"
            if article.published_at > now
            else "",
        )
        for article in articles
    ]


def guide_pages():
    pages = [links.Page("Stretch guide", muscle.name, muscle.get_absolute_url()) for muscle in Muscle.objects.all()]
    stretches = Stretch.objects.select_related("muscle").order_by("muscle__order", "muscle__name", "order", "name")
    return pages + [
        links.Page("Stretch", stretch.name, stretch.get_absolute_url(), stretch.muscle.name) for stretch in stretches
    ]


def site_pages():
    fixed = [
        ("Home", "home"),
        ("Articles", "articles:list"),
        ("Stretch guides", "articles:stretches"),
        ("Site map", "articles:site-map"),
        ("Contact us", "articles:contact"),
    ]
    written = [links.Page("Site page", page.title, page.get_absolute_url()) for page in SitePage.objects.all()]
    categories = [
        links.Page("Category", category.name, category.get_absolute_url()) for category in Category.objects.all()
    ]
    return [links.Page("Site page", title, reverse(name)) for title, name in fixed] + written + categories


def register():
    for name, check in {
        "articles:detail": article_problem,
        "articles:category": category_problem,
        "articles:muscle": muscle_problem,
        "articles:muscle-routine": muscle_problem,
        "articles:stretch": stretch_problem,
        "articles:stretch-routine": stretch_problem,
        "articles:about": site_page_problem,
        "articles:disclaimer": site_page_problem,
        "articles:privacy": site_page_problem,
        "articles:helpful": not_a_page,
        "articles:comment-article": not_a_page,
        "articles:comment-muscle": not_a_page,
        "articles:comment-report": not_a_page,
    }.items():
        links.register_target(name, check)
    links.register_pages("Article", article_pages)
    links.register_pages("Stretch guide", guide_pages)
    links.register_pages("Site page", site_pages)
    writing.register_illustrations(Stretch, "illustration", "img/stretches/")
    writing.register_figures(SitePage)
