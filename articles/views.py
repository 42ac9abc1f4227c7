"""Pages for readers: home, articles, muscle and stretch guides, comments, search, the site pages and contact
form, feedback, robots.txt and the error pages."""

import datetime
import logging
import sys
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.mail import EmailMessage
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from backpain import antispam
from backpain import search as site_search
from backpain.models import RateLimit
from backpain.pagecache import cache_public_page
from backpain.visitors import visitor_hash

from .body_map import body_map
from .forms import CommentForm, ContactForm, HelpfulForm
from .models import (
    Article,
    Category,
    Comment,
    CommentReport,
    ContactMessage,
    HelpfulVote,
    Muscle,
    SitePage,
    Stretch,
    clean_side,
)
from .moderation import describe_reasons
from .notifications import after_commit, email_editors_about, email_editors_about_reports
from .templatetags.feedback import HELPFUL_TAG

logger = logging.getLogger(__name__)

CONTACT_LIMIT = 5  # messages per visitor per hour: plenty for a person, little for a script
RATE_LIMIT_PERIOD = datetime.timedelta(minutes=settings.RATE_LIMIT_WINDOW_MINUTES)

ARTICLES_PER_PAGE = 10
RETRY_AFTER_SECONDS = 120  # most database restarts and failovers are over well within two minutes


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


@cache_public_page
def article_list(request):
    """Render all published articles, newest first, ten to a page."""
    page = _paginate(request, Article.objects.published().select_related("category"))
    categories = Category.objects.filter(Exists(Article.objects.published().filter(category=OuterRef("pk"))))
    return render(request, "articles/article_list.html", {"page_obj": page, "categories": categories})


@cache_public_page
def category_detail(request, slug):
    """Render one category's published articles, paginated."""
    category = get_object_or_404(Category, slug=slug)
    page = _paginate(request, category.articles.published().select_related("category"))
    return render(request, "articles/category_detail.html", {"category": category, "page_obj": page})


@cache_public_page
def article_detail(request, slug, comment_form=None):
    """Render an article with its comments. Staff may preview drafts and scheduled articles; readers get 404.

    ``comment_form`` is a reader's form with errors, when ``post_comment`` shows the page again.
    """
    queryset = Article.objects.select_related("category").prefetch_related("related_muscles")
    can_preview = request.user.is_active and request.user.is_staff and request.user.has_perm("articles.view_article")
    if not can_preview:
        queryset = queryset.published()
    article = get_object_or_404(queryset, slug=slug)
    related = article.related_articles.published().select_related("category")[:3]
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "related": related,
            "preview": not article.is_live,
            **comments_context(request, article, comment_form),
        },
    )


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


@cache_public_page
def muscle_detail(request, slug, comment_form=None):
    """Render one muscle: what it does, why it tightens, where its trigger points refer pain, its stretches,
    the published articles about it and readers' comments."""
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
        **comments_context(request, muscle, comment_form),
    }
    return render(request, "articles/muscle_detail.html", context)


@cache_public_page
def stretch_detail(request, muscle_slug, slug):
    """Render one stretch: numbered steps, technique, dose, the hold timer, cautions, picture and video.

    ``?side=left``, ``right`` or ``each`` (a self-check plan's link) makes every word about sides, and the
    timer, follow that side; any other value is no side. Such pages are never cached (they have a query).
    """
    if len(slug) > Stretch._meta.get_field("slug").max_length:
        raise Http404("No such stretch.")
    muscle = _get_muscle(muscle_slug)
    # A muscle has a handful of stretches: one query fetches the page's stretch and its siblings.
    stretches = list(muscle.stretches.all())
    stretch = next((candidate for candidate in stretches if candidate.slug == slug), None)
    if stretch is None:
        raise Http404("No such stretch for this muscle.")
    others = [other for other in stretches if other.pk != stretch.pk]
    context = {
        "stretch": stretch,
        "muscle": muscle,
        "others": others,
        "video": stretch.video,
        "side": "" if stretch.is_both_legs else _requested_side(request),
    }
    return render(request, "articles/stretch_detail.html", context)


def _requested_side(request):
    """The side named by ``?side=`` (left, right or each, as a plan links to it), or "" for none or junk."""
    values = request.GET.getlist("side")
    return clean_side(values[0]) if len(values) == 1 else ""


RESULTS_PER_PAGE = 10


def search(request):
    """Render search results for ``?q=`` over every registered kind of page, best matches first, ten to a page."""
    query = site_search.clean_query(request.GET.get("q", ""))
    page = None
    if query:
        page = Paginator(site_search.search(query), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"query": query, "page_obj": page, "extra_query": urlencode({"q": query}) + "&"}
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
            if not RateLimit.objects.hit("contact", visitor_hash(request), CONTACT_LIMIT, RATE_LIMIT_PERIOD):
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
    back = page.url_for_side(request.GET.get("side")) if isinstance(page, Stretch) else page.get_absolute_url()
    return redirect(back + "#helpful")


def robots_txt(request):
    """Render robots.txt: where the sitemap is, and what crawlers should leave alone.

    Self-check results are left out on purpose: the one-click step in front of each says ``noindex``,
    which a crawler reads only if it may fetch the page, whereas a URL blocked here can still be listed
    in search results, token and all.
    """
    disallow = [
        "/" + settings.ADMIN_URL,
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
    """Render the 500 page, or the 503 page when the error was a failed connection to the database.

    Neither uses the request: no context processors, no database, nothing that can fail again.
    ``OperationalError`` and ``InterfaceError`` are what Django raises when the database is down, restarting,
    refusing connections or locked, which is usually over in minutes, so the reader is asked to come back.
    They also cover a few real faults (a missing table); Django logs every one with its traceback either way.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return _database_unavailable()
    return HttpResponseServerError(loader.render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME}))


def _database_unavailable():
    response = HttpResponse(loader.render_to_string("503.html", {"SITE_NAME": settings.SITE_NAME}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Nobody in between (a proxy, a CDN, the browser) may keep the outage page once the site is back.
    add_never_cache_headers(response)
    return response


def csrf_failure(request, reason=""):
    """Render a friendly 403 when a form's security token is missing or stale (``CSRF_FAILURE_VIEW``)."""
    return render(request, "403_csrf.html", status=403)


def comments_context(request, target, form=None):
    """What ``includes/comments.html`` needs for an article or muscle page: one page of approved
    comments (``?comments_page=``, oldest first) and the form, blank or with a reader's errors."""
    comments = Comment.objects.approved().on(target)
    page = Paginator(comments, settings.COMMENTS_PER_PAGE).get_page(request.GET.get("comments_page"))
    return {"comments_page": page, "comment_form": form or CommentForm(target=target)}


def _comment_target(kind, slug):
    if kind == "article":
        return get_object_or_404(Article.objects.published(), slug=slug), article_detail
    return get_object_or_404(Muscle, slug=slug), muscle_detail


def _back_to_comments(target, notice):
    # 303: the browser follows with a GET, so reloading the page never posts twice. The notice rides in the
    # address rather than django.contrib.messages, which would add a cookie the privacy page does not list.
    response = HttpResponseRedirect(f"{target.get_absolute_url()}?{urlencode({'comment': notice})}#comments")
    response.status_code = 303
    return response


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads nothing it cannot measure, so there is nothing to refuse here.


def _page_with_errors(request, page_view, slug, form, status):
    response = page_view(request, slug, comment_form=form)
    response.status_code = status
    return response


@require_POST
def post_comment(request, kind, slug):
    """Take a reader's comment on an article or muscle page; it waits for an editor.

    A valid comment is stored as pending and the reader is sent back to the
    page, told it awaits moderation, and shown the urgent-care advice at once
    when it mentions red-flag symptoms. Mistakes show the page again with the
    errors (400). A bot (honeypot filled, posted too fast, no valid token) gets
    exactly the answer a person would get for the same visible text, and
    nothing is stored.

    Over the rate limit the reader gets a 429 with their text still in the
    form, not a silent drop: a person who reaches it deserves to know, and a
    bot learns nothing it could not guess. Nothing is stored either way.
    """
    target, page_view = _comment_target(kind, slug)
    if _declared_length(request) > settings.COMMENT_MAX_REQUEST_BYTES:
        form = CommentForm(target=target)
        form.refuse("Your comment is far too long. Please keep it to 3,000 characters or fewer.")
        return _page_with_errors(request, page_view, slug, form, status=400)
    form = CommentForm(request.POST, target=target)
    if not form.is_valid():
        return _page_with_errors(request, page_view, slug, form, status=400)
    notice = "urgent" if form.priority_reasons else "received"
    if form.spam_reason:
        logger.info("Dropped a comment that looked automated (%s).", form.spam_reason)
        return _back_to_comments(target, notice)
    poster = visitor_hash(request)
    with transaction.atomic():
        allowed = RateLimit.objects.hit("comment", poster, settings.COMMENT_RATE_LIMIT, RATE_LIMIT_PERIOD)
        if allowed:
            comment = form.save(commit=False)
            comment.target = target
            comment.visitor_hash = poster
            comment.needs_priority_review = bool(form.priority_reasons)
            comment.priority_reason = describe_reasons(form.priority_reasons)
            comment.save()
            after_commit(email_editors_about, comment.pk)
    if not allowed:
        form.add_error(
            None,
            f"You have posted {settings.COMMENT_RATE_LIMIT} comments in the last hour, which is as many as we "
            "can take from one person. Please wait a while, then post again: your comment is still below.",
        )
        return _page_with_errors(request, page_view, slug, form, status=429)
    return _back_to_comments(target, notice)


@require_POST
def report_comment(request, pk):
    """Record a reader's report of a published comment and thank them.

    Each visitor (a /64 network for IPv6, see ``visitor_hash``) counts once per
    comment until an editor decides on it, and reports are rate limited. The
    comment is flagged for priority review; once ``COMMENT_REPORTS_TO_HIDE``
    readers have reported it since the last decision, it goes back to the
    moderation queue, off the page, and the editors are emailed. The thanks is
    the same whether or not the report counted, so repeating it gains nothing.
    """
    comment = get_object_or_404(Comment.objects.approved().select_related("article", "muscle"), pk=pk)
    reporter = visitor_hash(request)
    with transaction.atomic():
        if RateLimit.objects.hit("report", reporter, settings.COMMENT_REPORT_RATE_LIMIT, RATE_LIMIT_PERIOD):
            _, created = CommentReport.objects.get_or_create(comment=comment, visitor_hash=reporter)
            if created and comment.record_report():
                after_commit(email_editors_about_reports, comment.pk)
    return _back_to_comments(comment.target, "reported")
