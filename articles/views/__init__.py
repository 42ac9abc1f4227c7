"""Pages for readers, by what they show: ``content`` (home, articles, search, site map, site pages), ``guides``
(muscles, stretches and their guided routines), ``comments`` (posting and reporting comments) and ``feedback``
(contact form, helpful votes). Robots.txt and the error pages are site-wide: ``backpain.views``."""

from .comments import comments_context, post_comment, report_comment
from .content import article_detail, article_list, category_detail, home, search, site_map, site_page
from .feedback import CONTACT_LIMIT, contact, contact_thanks, email_contact_message, helpful_vote
from .guides import muscle_detail, muscle_routine, stretch_detail, stretch_list, stretch_routine

__all__ = [
    "CONTACT_LIMIT",
    "article_detail",
    "article_list",
    "category_detail",
    "comments_context",
    "contact",
    "contact_thanks",
    "email_contact_message",
    "helpful_vote",
    "home",
    "muscle_detail",
    "muscle_routine",
    "post_comment",
    "report_comment",
    "search",
    "site_map",
    "site_page",
    "stretch_detail",
    "stretch_list",
    "stretch_routine",
]
