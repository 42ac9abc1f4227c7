"""Pages for readers: the home page, articles, search, the site pages and contact form, and the error pages."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.mail import EmailMessage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import antispam
from . import search as site_search
from .forms import ContactForm, HelpfulForm
from .models import Article, Category, ContactMessage, HelpfulVote, Muscle, SitePage, Stretch
from .templatetags.feedback import HELPFUL_TAG

logger = logging.getLogger(__name__)

CONTACT_LIMIT = 5  # messages per visitor per hour: plenty for a person, little for a script
CONTACT_WINDOW = 60 * 60

ARTICLES_PER_PAGE = 10


def home(request):
    """Render the home page: featured articles, the self-check call, what the site covers."""
    published = Article.objects.published().select_related("category")
    featured = list(published.filter(featured=True)[:4]) or list(published[:4])
    return render(request, "articles/home.html", {"featured": featured, "latest": published.exclude(featured=True)[:6]})


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
    queryset = Article.objects.select_related("category")
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
    """Render the muscle directory."""
    return render(request, "articles/muscle_list.html", {"muscles": Muscle.objects.all()})


def muscle_detail(request, slug):
    """Render one muscle: what it does, its trigger points and its stretches."""
    muscle = get_object_or_404(Muscle, slug=slug)
    return render(request, "articles/muscle_detail.html", {"muscle": muscle, "stretches": muscle.stretches.all()})


def stretch_detail(request, muscle_slug, slug):
    """Render one stretch: numbered steps and the dose."""
    stretch = get_object_or_404(Stretch.objects.select_related("muscle"), muscle__slug=muscle_slug, slug=slug)
    return render(request, "articles/stretch_detail.html", {"stretch": stretch, "muscle": stretch.muscle})


RESULTS_PER_PAGE = 10


def search(request):
    """Render search results for ``?q=`` over every registered kind of page, best matches first, ten to a page."""
    query = site_search.clean_query(request.GET.get("q", ""))
    page = None
    if query:
        page = Paginator(site_search.search(query), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"query": query, "page_obj": page, "extra_query": urlencode({"q": query}) + "&"}
    return render(request, "articles/search.html", context)


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


def site_page(request, slug):
    """Render one editable site page (about, disclaimer, privacy)."""
    page = get_object_or_404(SitePage, slug=slug)
    return render(request, "articles/site_page.html", {"page": page})


def contact(request):
    """Render the contact page and form; store a valid message, email it to the editors, then say thank you.

    Spam (the honeypot filled in, a missing or forged token, a form sent back within seconds) gets the same
    thank-you as a real message and is not stored. Bad input re-renders the form with its errors (400).
    """
    page = SitePage.objects.filter(slug=SitePage.Slug.CONTACT).first()
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if not antispam.allow(
                "contact", antispam.visitor_hash(request), limit=CONTACT_LIMIT, window=CONTACT_WINDOW
            ):
                form.add_error(None, "You have sent several messages in the last hour. Please try again later.")
                return render(request, "articles/contact.html", {"page": page, "form": form}, status=429)
            with transaction.atomic():
                message = form.save()
                transaction.on_commit(lambda: email_contact_message(message))
            return redirect("articles:contact-thanks")
        if antispam.is_spam(form):
            logger.info("Contact form: spam discarded.")
            return redirect("articles:contact-thanks")
        antispam.hide_spam_errors(form)
        status = 400
    return render(request, "articles/contact.html", {"page": page, "form": form}, status=status)


def email_contact_message(message):
    """Email a stored contact message to the editors. A mail failure is logged; the message stays in the admin."""
    admin_url = settings.SITE_URL.rstrip("/") + reverse("admin:articles_contactmessage_change", args=[message.pk])
    body = loader.render_to_string("articles/email/contact_message.txt", {"message": message, "admin_url": admin_url})
    email = EmailMessage(
        # Form validation rejects line breaks; this strip guards any other caller.
        subject=" ".join(f"[{settings.SITE_NAME}] {message.subject}".split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=settings.EDITORS_EMAILS,
        reply_to=[message.email],
    )
    try:
        email.send()
    except Exception:
        logger.exception("Could not email contact message %s; it is kept in the admin.", message.pk)
        return
    ContactMessage.objects.filter(pk=message.pk).update(emailed_at=timezone.now())


def contact_thanks(request):
    """Render the thank-you shown after the contact form is sent."""
    return render(request, "articles/contact_thanks.html")


HELPFUL_PAGES = {
    "article": (Article.objects.published, "article"),
    "stretch": (Stretch.objects.select_related("muscle").all, "stretch"),
}


@require_POST
def helpful_vote(request, kind, pk):
    """Record a reader's "Was this page helpful?" answer (one per visitor and page), then go back to the page."""
    if kind not in HELPFUL_PAGES:
        raise Http404("No such kind of page.")
    queryset, field = HELPFUL_PAGES[kind]
    page = get_object_or_404(queryset(), pk=pk)
    form = HelpfulForm(request.POST)
    if form.is_valid():
        HelpfulVote.objects.update_or_create(
            **{field: page},
            visitor=antispam.visitor_hash(request),
            defaults={"helpful": form.cleaned_data["helpful"]},
        )
        messages.success(request, "Thank you for your answer.", extra_tags=HELPFUL_TAG)
    return redirect(page.get_absolute_url() + "#helpful")


def robots_txt(request):
    """Render robots.txt: where the sitemap is, and what crawlers should leave alone."""
    disallow = [
        "/" + settings.ADMIN_URL,
        # Saved self-check results are private to whoever holds the link.
        reverse("assessment:start") + "result/",
        reverse("articles:search"),
        reverse("articles:contact-thanks"),
    ]
    context = {"disallow": disallow, "sitemap_url": request.build_absolute_uri(reverse("sitemap"))}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


def _error_page(request, template_name, status):
    return render(request, template_name, status=status)


def bad_request(request, exception=None):
    """Render the 400 page."""
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    """Render the 403 page."""
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    """Render the 404 page. Nothing from the exception is shown: it can carry paths and patterns."""
    return _error_page(request, "404.html", 404)


def server_error(request):
    """Render the 500 page without the request: no context processors, no database, nothing that can fail again."""
    return HttpResponseServerError(loader.render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME}))


def csrf_failure(request, reason=""):
    """Render a friendly 403 when a form's security token is missing or stale (``CSRF_FAILURE_VIEW``)."""
    return render(request, "403_csrf.html", status=403)
