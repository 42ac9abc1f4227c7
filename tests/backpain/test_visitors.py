"""One visitor, one limit: an IPv6 /64 counts as one visitor, and so does an IPv4 address however it is written."""

import pytest
from django.urls import reverse

from articles import views
from articles.models import Comment, ContactMessage, HelpfulVote
from backpain.models import RateLimit
from backpain.visitors import visitor_hash, visitor_network
from tests.articles.comments_support import post_comment
from tests.articles.test_contact import contact_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ONE_SLASH_64 = [f"2001:db8:5:7:{n:x}::{n + 1:x}" for n in range(15)]


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("::ffff:c633:6407", "198.51.100.7"),
        ("2001:db8:5:7:abcd:1:2:3", "2001:db8:5:7::/64"),
        ("2001:DB8:5:7::1", "2001:db8:5:7::/64"),
        ("::1", "::/64"),
    ],
)
def test_a_visitor_is_an_ipv4_address_or_an_ipv6_slash_64(address, network):
    assert visitor_network(address) == network


def test_the_hash_is_the_same_across_one_slash_64_and_differs_outside_it(rf):
    hashes = {visitor_hash(rf.get("/", REMOTE_ADDR=address)) for address in ONE_SLASH_64}
    assert len(hashes) == 1
    assert visitor_hash(rf.get("/", REMOTE_ADDR="2001:db8:5:8::1")) not in hashes


def test_a_mapped_address_hashes_as_its_ipv4_address(rf):
    assert visitor_hash(rf.get("/", REMOTE_ADDR="::ffff:198.51.100.7")) == visitor_hash(
        rf.get("/", REMOTE_ADDR="198.51.100.7")
    )


def test_fifteen_addresses_in_one_slash_64_post_ten_comments(client):
    """The attack from the security review: a new address from the same /64 for every comment."""
    article = ArticleFactory()
    statuses = [post_comment(client, article, ip=address).status_code for address in ONE_SLASH_64]
    assert statuses == [303] * 10 + [429] * 5
    assert Comment.objects.count() == 10
    assert post_comment(client, article, ip="2001:db8:5:8::1").status_code == 303  # the next /64 is someone else


def test_a_mapped_address_shares_its_ipv4_addresses_comment_limit(client):
    article = ArticleFactory()
    for n in range(5):
        assert post_comment(client, article, ip="198.51.100.7", body=f"Plain {n}").status_code == 303
    for n in range(5):
        assert post_comment(client, article, ip="::ffff:198.51.100.7", body=f"Mapped {n}").status_code == 303
    response = post_comment(client, article, ip="::ffff:198.51.100.7", body="The eleventh")
    assert response.status_code == 429
    assert "You have posted 10 comments in the last hour" in response.content.decode()
    assert RateLimit.objects.filter(scope="comment").count() == 1


def test_the_contact_limit_holds_across_one_slash_64(client):
    url = reverse("articles:contact")
    statuses = [client.post(url, contact_data(), REMOTE_ADDR=address).status_code for address in ONE_SLASH_64[:7]]
    assert statuses == [302] * views.CONTACT_LIMIT + [429] * (7 - views.CONTACT_LIMIT)
    assert ContactMessage.objects.count() == views.CONTACT_LIMIT


def test_helpful_votes_count_one_slash_64_once(client):
    article = ArticleFactory()
    url = reverse("articles:helpful", args=["article", article.pk])
    client.post(url, {"helpful": "yes"}, REMOTE_ADDR=ONE_SLASH_64[0])
    client.post(url, {"helpful": "no"}, REMOTE_ADDR=ONE_SLASH_64[1])
    client.post(url, {"helpful": "no"}, REMOTE_ADDR="::ffff:203.0.113.20")
    client.post(url, {"helpful": "yes"}, REMOTE_ADDR="203.0.113.20")
    assert sorted(HelpfulVote.objects.values_list("helpful", flat=True)) == [False, True]
