"""Add what the benchmark measures to a freshly loaded site; print the pages' paths as JSON.

Run by ``bench/run.py`` as ``python -m bench.fixtures`` with the benchmark's environment. A self-check
result is private to the browser that saved it, so the benchmark takes one over HTTP instead
(``bench.run.selfcheck_reader``).
"""

import json
import sys

import django


def main():
    django.setup()
    from articles.models import Article, Comment, Muscle

    article = Article.objects.published().order_by("pk").first()
    if not Comment.objects.approved().filter(article=article).exists():
        Comment.objects.bulk_create(
            Comment(
                article=article,
                name=f"Reader {number}",
                body="Thank you, the bedtime routine helped my back a lot. " * 3,
                status=Comment.Status.APPROVED,
                visitor_hash=f"{number:064d}",
            )
            for number in range(50)
        )
    muscle = Muscle.objects.filter(slug="hip-flexors").first() or Muscle.objects.first()
    pages = {
        "home": "/",
        "article (50 comments)": article.get_absolute_url(),
        "muscle": muscle.get_absolute_url(),
    }
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main()
