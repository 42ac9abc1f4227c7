import pytest
from django.core.cache import cache

from tests.factories import make_editor
from tests.harness.services import Postgres, Redis, start_or_skip
from tests.harness.snapshot import site_snapshot


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database rolls back between tests, so must cached pages."""
    from backpain.pagecache import forget_versioned
    from backpain.templatetags import kept

    cache.clear()
    forget_versioned()
    kept.forget()
    yield
    cache.clear()
    forget_versioned()
    kept.forget()


@pytest.fixture
def site_content(db):
    """The site's shipped content, loaded as `make run` loads it (once per process, then copied: see snapshot)."""
    site_snapshot.load()


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """One folder of collected, compressed static files shared by every production-mode test server."""
    return tmp_path_factory.mktemp("collected-static")


@pytest.fixture(scope="session")
def postgres_server():
    """A private PostgreSQL server for tests that run several processes against one database."""
    server = start_or_skip(Postgres)
    yield server
    server.stop()


@pytest.fixture
def redis_server():
    """A private Redis server, new for each test, so a test may stop it."""
    server = start_or_skip(Redis)
    yield server
    server.stop()
