"""``{% kept %}``: a piece of a page rendered once per worker and kept, found by its name and the values named."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings

from backpain.templatetags import kept

PIECE = '{% load kept %}{% kept "greeting" name %}Hello {{ name }}, {{ counter.next }}{% endkept %}'


class Counter:
    """Counts how often the piece inside is actually rendered."""

    def __init__(self):
        self.count = 0

    def next(self):
        self.count += 1
        return self.count


@pytest.fixture(autouse=True)
def nothing_kept():
    kept.forget()
    yield
    kept.forget()


def render(source, **values):
    return Template(source).render(Context(values))


def test_the_same_values_get_the_kept_piece_and_other_values_their_own():
    counter = Counter()
    assert render(PIECE, name="Ann", counter=counter) == "Hello Ann, 1"
    assert render(PIECE, name="Ann", counter=counter) == "Hello Ann, 1"
    assert render(PIECE, name="Bea", counter=counter) == "Hello Bea, 2"
    assert render(PIECE, name="Ann", counter=counter) == "Hello Ann, 1"
    assert counter.count == 2


def test_pieces_of_other_names_never_mix():
    other = '{% load kept %}{% kept "farewell" name %}Bye {{ name }}{% endkept %}'
    assert render(PIECE, name="Ann", counter=Counter()) == "Hello Ann, 1"
    assert render(other, name="Ann") == "Bye Ann"


def test_a_value_that_cannot_be_a_key_renders_every_time():
    counter = Counter()
    source = '{% load kept %}{% kept "list" names %}{{ counter.next }}{% endkept %}'
    assert [render(source, names=["a"], counter=counter) for _ in range(2)] == ["1", "2"]


@override_settings(DEBUG=True)
def test_nothing_is_kept_while_developing():
    counter = Counter()
    assert [render(PIECE, name="Ann", counter=counter) for _ in range(2)] == ["Hello Ann, 1", "Hello Ann, 2"]


def test_the_kept_pieces_are_bounded(monkeypatch):
    monkeypatch.setattr(kept, "LIMIT", 3)
    for number in range(10):
        render(PIECE, name=f"reader {number}", counter=Counter())
        assert len(kept._kept) <= 3


@pytest.mark.parametrize("source", ["{% kept %}x{% endkept %}", "{% kept greeting %}x{% endkept %}"])
def test_a_piece_needs_a_quoted_name(source):
    with pytest.raises(TemplateSyntaxError, match="quoted name"):
        Template("{% load kept %}" + source)
