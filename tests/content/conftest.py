"""The shipped words themselves (honest wording, cautions, reading ease): the same on every database engine."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/content/" in str(item.path):
            item.add_marker(pytest.mark.engine_independent)
