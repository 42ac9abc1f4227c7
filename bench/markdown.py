"""How long the worst Markdown the limits let through takes to render, beside the longest shipped article.

    python -m bench.markdown

Each adversarial text sits just inside one limit in ``backpain.markdown`` (the shapes that made the parser
slow or recursive before the limits: brackets, backticks, long lines, HTML comments, wide tables, deep
lists). The figure is seconds per render (best of three) and the ratio to rendering the longest shipped
article in the same run. The texts the limits refuse are refused before parsing, in well under a millisecond.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backpain.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from backpain import markdown  # noqa: E402

LINE = markdown.MAX_LINE_CHARACTERS
MARKS = markdown.MAX_MARKS_PER_PARAGRAPH


def paragraphs(text, count):
    """``count`` copies of a paragraph, as many as the whole-text limits allow."""
    return "\n\n".join([text] * count)[: markdown.MAX_CHARACTERS]


PER_PARAGRAPH = markdown.MAX_MARKS // MARKS  # paragraphs that each hold the most of one mark

ADVERSARIAL = {
    "brackets in every paragraph": paragraphs("[a" * MARKS, PER_PARAGRAPH),
    "backticks in every paragraph": paragraphs("`a" * MARKS, PER_PARAGRAPH),
    "code spans (``a``) in every paragraph": paragraphs("``a`` " * (MARKS // 4), PER_PARAGRAPH),
    "HTML comment openers in every paragraph": paragraphs("<!--" * MARKS, PER_PARAGRAPH),
    "emphasis (**a) in every paragraph": paragraphs("**a" * (MARKS // 2), PER_PARAGRAPH),
    "backslashes in every paragraph": paragraphs("\\" * MARKS, PER_PARAGRAPH),
    "every mark at its limit in each paragraph": paragraphs("[`<*_\\ " * MARKS, PER_PARAGRAPH),
    "a table 1,500 columns wide": ("a|" * (LINE // 2)) + "\n" + ("-|" * (LINE // 2)),
    "the most lines, each a list nested as deep as allowed": "\n".join(
        ["1. " * markdown.MAX_NESTING + "x"] * markdown.MAX_LINES
    ),
    "the longest lines of plain words": paragraphs(("word " * (LINE // 5)).strip(), 16),
}


def best_of(text, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        markdown.render_markdown(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    articles = sorted((ROOT / "articles" / "site_content" / "articles").glob("*.md"), key=lambda p: p.stat().st_size)
    reference_text = articles[-1].read_text()
    reference = best_of(reference_text)
    print(f"reference: {articles[-1].name} ({len(reference_text):,} characters): {reference * 1000:.1f} ms")
    for name, text in ADVERSARIAL.items():
        problems = markdown.markdown_problems(text)
        if problems:
            print(f"{name}: refused ({problems[0]})")
            continue
        seconds = best_of(text)
        print(f"{name} ({len(text):,} characters): {seconds * 1000:.0f} ms, {seconds / reference:.1f} x the article")
    refused = "[" * 9000
    start = time.perf_counter()
    markdown.markdown_problems(refused)
    print(f"refusing 9,000 '[': {(time.perf_counter() - start) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
