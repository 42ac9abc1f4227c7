"""Helpers for the comment tests: a form post as a real browser would send it, after the minimum fill time."""

import time

from django.urls import reverse

from articles.forms import CommentForm, target_key
from articles.models import Article


def aged_token(target, seconds=60):
    """A form token as if the page had been served ``seconds`` ago."""
    return CommentForm.make_token(target_key(target), now=time.time() - seconds)


def post_url(target):
    kind = "article" if isinstance(target, Article) else "muscle"
    return reverse(f"articles:comment-{kind}", args=[target.slug])


def comment_data(target, **overrides):
    data = {
        "name": "Sam",
        "email": "",
        "body": "The kneeling hip flexor stretch really helped my lower back.",
        "website": "",
        "started": aged_token(target),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_comment(client, target, ip="198.51.100.7", **overrides):
    """Post the comment form for ``target`` from the address ``ip``; ``name=None`` leaves a field out."""
    return client.post(post_url(target), comment_data(target, **overrides), REMOTE_ADDR=ip)
