import io

import pytest
from django.core.management import call_command


@pytest.fixture
def selfcheck_content(db):
    """Only what the self-check needs: the muscles and stretches, then its own content (faster than all of it)."""
    call_command("load_muscles_content", stdout=io.StringIO())
    call_command("load_selfcheck_content", stdout=io.StringIO())
