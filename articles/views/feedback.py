"""What readers send the editors: the contact form and "Was this page helpful?"."""

import logging

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse

from backpain import antispam
from backpain.mail import notify_editors
from backpain.models import RateLimit
from backpain.postonly import post_only
from backpain.visitors import visitor_hash

from ..forms import ContactForm, HelpfulForm
from ..models import (
    Article,
    HelpfulVote,
    SitePage,
    Stretch,
)
from ..notifications import READ_MESSAGES
from ..templatetags.feedback import HELPFUL_TAG
from .again import page_with_errors

logger = logging.getLogger(__name__)


CONTACT_LIMIT = 5  # messages per visitor per hour: plenty for a person, little for a script


def contact(request):
    """Render the contact page and form; store a valid message and queue its email to the editors, then say thank
    you. Nothing here waits for the mail server: the worker sends the email after the commit.

    Spam (the honeypot filled in, a missing or forged token) gets the same thank-you as a real message and is
    not stored. Bad input re-renders the form with its errors (400), as does a form sent back within seconds
    of the page opening, which tells the reader to wait a moment and send it again.
    """
    page = SitePage.objects.filter(slug=SitePage.Slug.CONTACT).first()
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if form.is_spam:
            logger.info("Contact form: spam discarded (%s).", form.spam_reason)
            return redirect("articles:contact-thanks")
        if valid:
            if not RateLimit.objects.hit("contact", visitor_hash(request), CONTACT_LIMIT):
                form.add_error(None, "You have sent several messages in the last hour. Please try again later.")
                return render(request, "articles/contact.html", {"page": page, "form": form}, status=429)
            with transaction.atomic():
                email_contact_message(form.save())
            return redirect("articles:contact-thanks")
        status = 400
    return render(request, "articles/contact.html", {"page": page, "form": form}, status=status)


def email_contact_message(message):
    """Queue the email of a stored contact message to the editors (as each chose), with Reply-To the reader."""
    admin_url = settings.SITE_URL.rstrip("/") + reverse("admin:articles_contactmessage_change", args=[message.pk])
    body = loader.render_to_string("articles/email/contact_message.txt", {"message": message, "admin_url": admin_url})
    notify_editors(
        kind="Contact message",
        # Form validation rejects line breaks; send_later makes any subject one line for any other caller.
        subject=f"[{settings.SITE_NAME}] {message.subject}",
        body=body,
        permission=READ_MESSAGES,
        reply_to=[message.email],
        about=message,
    )


def contact_thanks(request):
    """Render the thank-you shown after the contact form is sent."""
    return render(request, "articles/contact_thanks.html")


HELPFUL_PAGES = {
    "article": (Article.objects.published, "article"),
    "stretch": (Stretch.objects.select_related("muscle").all, "stretch"),
}


def _helpful_page(kind, pk):
    if kind not in HELPFUL_PAGES:
        raise Http404("No such kind of page.")
    queryset, _ = HELPFUL_PAGES[kind]
    return get_object_or_404(queryset(), pk=pk)


def _page_address(request, page):
    # A stretch page opened for one side is that side's address (the form posts with the same ?side=).
    return page.url_for_side(request.GET.get("side")) if isinstance(page, Stretch) else page.get_absolute_url()


def _helpful_question(request, kind, pk):
    """Where a GET of a vote's address goes: the question on the page it is for."""
    return _page_address(request, _helpful_page(kind, pk)) + "#helpful"


@post_only(_helpful_question)
def helpful_vote(request, kind, pk):
    """Record a reader's "Was this page helpful?" answer (one per visitor and page), then go back to the page.

    An answer other than yes or no (only a script can send one) shows the page again with the error (400).
    """
    page = _helpful_page(kind, pk)
    form = HelpfulForm(request.POST)
    if not form.is_valid():
        return page_with_errors(request, page.get_absolute_url(), 400, helpful_vote_form=form)
    HelpfulVote.objects.update_or_create(
        **{HELPFUL_PAGES[kind][1]: page},
        visitor=antispam.visitor_hash(request),
        defaults={"helpful": form.cleaned_data["helpful"]},
    )
    messages.success(request, "Thank you for your answer.", extra_tags=HELPFUL_TAG)
    return redirect(_page_address(request, page) + "#helpful")
