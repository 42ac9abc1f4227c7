"""The admin as an editor's browser uses it: the edit marker every change form carries (``backpain.locking``).

A test that posts a change form it wrote by hand adds ``edit_marker(client, url)``, as a browser that opened the
page just now would send it; without one, the save is refused as stale.
"""

import re
from html import unescape

from backpain.locking import LOCK_FIELD

MARKER = re.compile(rf'<input type="hidden" name="{LOCK_FIELD}" value="([^"]*)"')


def edit_marker(client, url):
    """``{LOCK_FIELD: marker}`` of the change form at ``url``, opened now by ``client``."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    found = MARKER.search(page.content.decode())
    assert found, f"no edit marker on {url}"
    return {LOCK_FIELD: unescape(found.group(1))}
