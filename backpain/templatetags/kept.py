"""``{% kept %}``: a piece of a page rendered once per worker process and kept, for pages rendered every time.

Load with ``{% load kept %}``::

    {% kept "site-header" plain nav_section %} ... {% endkept %}

The first argument names the piece; the others are the values it depends on, and the kept copy is found by
all of them together. Use it only for a piece made of nothing but those values and what never changes while
the site runs (its templates, URLs, static file names): the site's header, or a self-check plan's card keyed
on a digest of everything the card shows (``assessment.views.shared_key``). Never key a piece on anything of a
reader's, and never put a reader's own values inside one.

Why not Django's ``{% cache %}``: it goes through a cache backend (hashing the key, locking, pickling), some 130
function calls a use, more than most of these pieces cost to render; the self-check's result and steps are
never cached, so that is paid on every view. A dict in the process, emptied when it grows past ``LIMIT``, does
the same job here for a tenth of it. While developing (``DEBUG``) nothing is kept, so a template edit shows at
once.
"""

from django import template
from django.conf import settings

register = template.Library()

LIMIT = 2000
_kept = {}


def forget():
    """Drop every kept piece (tests that change settings the pieces show)."""
    _kept.clear()


class KeptNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context):
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (self.name, *(value.resolve(context) for value in self.values))
        try:
            piece = _kept.get(key)
        except TypeError:  # a value that cannot be a key (a list): render it every time
            return self.nodelist.render(context)
        if piece is None:
            piece = self.nodelist.render(context)
            if len(_kept) >= LIMIT:
                _kept.clear()
            _kept[key] = piece
        return piece


@register.tag
def kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% kept %} needs a quoted name first: {% kept "site-header" plain %}.')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])
