"""The articles app's models, by what they hold: ``content`` (articles, categories, sidebar links, site pages),
``guides`` (muscles and stretches), ``comments`` (readers' comments and reports) and ``feedback`` (contact
messages and helpful votes)."""

from .comments import (
    COMMENT_TARGETS,
    Comment,
    CommentQuerySet,
    CommentReport,
    CommentTarget,
    PendingComment,
    comment_kind,
)
from .content import Article, ArticleQuerySet, ArticleSource, Category, InformationLink, SitePage, Source
from .feedback import ContactMessage, ContactMessageQuerySet, HelpfulVote
from .guides import MARKDOWN_FIELDS, SIDE_EACH, SIDE_LEFT, SIDE_RIGHT, SIDES, Muscle, Stretch, clean_side
from .pending import PendingChange

__all__ = [
    "COMMENT_TARGETS",
    "MARKDOWN_FIELDS",
    "SIDES",
    "SIDE_EACH",
    "SIDE_LEFT",
    "SIDE_RIGHT",
    "Article",
    "ArticleQuerySet",
    "ArticleSource",
    "Category",
    "Comment",
    "CommentQuerySet",
    "CommentReport",
    "CommentTarget",
    "comment_kind",
    "ContactMessage",
    "ContactMessageQuerySet",
    "HelpfulVote",
    "InformationLink",
    "Muscle",
    "PendingChange",
    "PendingComment",
    "SitePage",
    "Source",
    "Stretch",
    "clean_side",
]
