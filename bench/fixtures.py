"""Add what the benchmark measures to a freshly loaded site; print the pages' paths as JSON.

Run by ``bench/run.py`` as ``python -m bench.fixtures`` with the benchmark's environment.
"""

import json
import sys

import django


def main():
    django.setup()
    from django.db import transaction

    from articles.models import Article, Comment, Muscle
    from assessment.models import Questionnaire, new_token
    from assessment.results import create_assessment

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
    questionnaire = Questionnaire.objects.active().prefetch_related("questions__choices").get()
    asked = [question for question in questionnaire.questions.all() if not question.is_red_flag]
    chosen = {question.pk: list(question.choices.all())[-1] for question in asked}
    with transaction.atomic():
        result = create_assessment(questionnaire, asked, chosen, new_token())
    muscle = Muscle.objects.filter(slug="hip-flexors").first() or Muscle.objects.first()
    pages = {
        "home": "/",
        "article (50 comments)": article.get_absolute_url(),
        "muscle": muscle.get_absolute_url(),
        "self-check result": result.get_absolute_url(),
    }
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main()
