import pytest
from django.urls import reverse

from articles.models import Article, HelpfulVote
from tests.factories import ArticleFactory, StretchFactory
from tests.harness.pages import summary_links

pytestmark = pytest.mark.django_db


def vote(client, page, kind, answer, ip="203.0.113.20"):
    return client.post(reverse("articles:helpful", args=[kind, page.pk]), {"helpful": answer}, REMOTE_ADDR=ip)


def test_articles_and_stretches_ask_was_this_page_helpful(client):
    for page in (ArticleFactory(), StretchFactory()):
        html = client.get(page.get_absolute_url()).content.decode()
        assert "Was this page helpful?" in html
        assert 'method="post"' in html and 'name="helpful" value="yes"' in html and 'value="no"' in html


def test_a_vote_is_stored_and_the_reader_thanked_on_the_same_page(client):
    article = ArticleFactory()
    response = vote(client, article, "article", "yes")
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#helpful"
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for your answer" in html
    assert html.count("Thank you for your answer") == 1  # in place, not also at the top of the page
    assert HelpfulVote.objects.get().helpful is True


def test_one_vote_per_visitor_per_page_a_second_answer_replaces_the_first(client):
    stretch = StretchFactory()
    vote(client, stretch, "stretch", "yes")
    vote(client, stretch, "stretch", "no")
    vote(client, stretch, "stretch", "yes", ip="203.0.113.21")
    assert HelpfulVote.objects.filter(stretch=stretch).count() == 2
    assert list(HelpfulVote.objects.order_by("helpful").values_list("helpful", flat=True)) == [False, True]
    assert "203.0.113" not in repr(list(HelpfulVote.objects.values_list()))


@pytest.mark.parametrize("answer", ["", "maybe", "<script>", "1", "yes\x00", "y" * 10_000])
def test_junk_answers_show_the_page_again_with_what_to_do(client, answer):
    """Only a script can send anything but Yes or No: it gets the page back (400), nothing stored, and the
    summary at the top says what to do, linked to the Yes button, which the error describes."""
    for page, kind in ((ArticleFactory(), "article"), (StretchFactory(), "stretch")):
        response = vote(client, page, kind, answer)
        assert response.status_code == 400
        html = response.content.decode()
        assert summary_links(html) == [("Choose Yes or No to say if this page helped", "#id_helpful")]
        assert 'id="id_helpful" aria-describedby="helpful-error">Yes</button>' in html
        assert '<p class="text-danger field-error" id="helpful-error">Choose Yes or No' in html
    assert not HelpfulVote.objects.exists()


def test_a_junk_answer_on_a_stretch_for_one_side_keeps_that_side(client):
    stretch = StretchFactory()
    url = reverse("articles:helpful", args=["stretch", stretch.pk]) + "?side=left"
    response = client.post(url, {"helpful": "maybe"})
    assert response.status_code == 400
    assert "?side=left" in response.content.decode()


def test_a_get_of_a_vote_address_goes_to_the_question_on_its_page(client):
    article, stretch = ArticleFactory(), StretchFactory()
    response = client.get(reverse("articles:helpful", args=["article", article.pk]))
    assert (response.status_code, response["Location"]) == (303, article.get_absolute_url() + "#helpful")
    response = client.get(reverse("articles:helpful", args=["stretch", stretch.pk]) + "?side=right")
    assert response["Location"] == stretch.url_for_side("right") + "#helpful"
    assert client.get(reverse("articles:helpful", args=["muscle", 1])).status_code == 404
    assert not HelpfulVote.objects.exists()


def test_votes_only_on_pages_readers_can_see(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert vote(client, draft, "article", "yes").status_code == 404
    assert client.post(reverse("articles:helpful", args=["muscle", 1]), {"helpful": "yes"}).status_code == 404
    assert not HelpfulVote.objects.exists()


def test_the_article_admin_summarises_votes_without_a_query_per_row(editor_client, django_assert_max_num_queries):
    articles = [ArticleFactory(title=f"Article {n}") for n in range(5)]
    for number, answer in enumerate(["yes", "yes", "yes", "no"]):
        vote(editor_client, articles[0], "article", answer, ip=f"198.51.100.{number}")
    with django_assert_max_num_queries(12):
        html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "3 yes, 1 no (75% yes)" in html


def test_the_per_page_summary_lists_articles_and_stretches(editor_client):
    article = ArticleFactory(title="Useful article")
    stretch = StretchFactory(name="Useless stretch")
    vote(editor_client, article, "article", "yes")
    vote(editor_client, stretch, "stretch", "no")
    vote(editor_client, stretch, "stretch", "no", ip="192.0.2.9")
    html = editor_client.get(reverse("admin:articles_helpfulvote_summary")).content.decode()
    assert html.index("Useless stretch") < html.index("Useful article")
    assert "0 yes, 2 no (0% yes)" in html and "1 yes, 0 no (100% yes)" in html
    assert editor_client.get(reverse("admin:articles_helpfulvote_changelist")).status_code == 200
