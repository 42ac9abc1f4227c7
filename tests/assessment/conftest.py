import pytest

from tests.harness.snapshot import selfcheck_snapshot


@pytest.fixture
def selfcheck_content(db):
    """Only what the self-check needs: the muscles and stretches, then its own content (faster than all of it)."""
    selfcheck_snapshot.load()
