"""The code's shape, as issue 18 set it: site-wide plumbing in ``backpain`` depends on no app, ``articles`` never
depends on ``assessment``, and ``assessment`` takes only muscles and stretches from ``articles``.

Read from the source with ``ast`` (imports inside functions count too), so a new module cannot slip past.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("articles", "assessment", "backpain")


def imports_of(path):
    """Every module a file imports, absolute, with the names taken from it: [(module, {names})]."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((module, {alias.name for alias in node.names}))
    return found


def source_files(app):
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def app_imports(app):
    """(file, module, names) for each import by ``app``'s code of another of the three apps."""
    return [
        (path.relative_to(ROOT), module, names)
        for path in source_files(app)
        for module, names in imports_of(path)
        if module.split(".")[0] in APPS and module.split(".")[0] != app
    ]


def test_the_import_reader_sees_relative_and_nested_imports():
    # The checks below pass vacuously if the reader misses imports, so prove it finds both kinds.
    found = imports_of(ROOT / "articles" / "views" / "comments.py")
    modules = {module for module, _ in found}
    assert "articles.models" in modules and "backpain.models" in modules
    assert ("assessment.sitemaps", {"SITEMAPS"}) in imports_of(ROOT / "assessment" / "apps.py")


def test_backpain_imports_no_app():
    assert app_imports("backpain") == []


def test_articles_never_imports_assessment():
    assert [hit for hit in app_imports("articles") if hit[1].startswith("assessment")] == []


@pytest.mark.parametrize("app", ["articles", "assessment"])
def test_apps_take_only_plumbing_from_backpain_and_models_from_each_other(app):
    allowed_from_articles = {"Muscle", "Stretch", "SIDE_LEFT", "SIDE_RIGHT", "SIDE_EACH"}
    for path, module, names in app_imports(app):
        if module == "articles.admin.pending":
            # Changes saved for later live with their model in articles; self-test pages use the same admin.
            assert str(path) == "assessment/admin.py" and names == {"PendingChangesAdmin"}, (path, names)
        elif module.startswith("articles"):
            assert module == "articles.models" and names <= allowed_from_articles, (path, module, names)


def test_no_app_holds_more_than_half_the_app_code():
    lines = {app: sum(len(path.read_text().splitlines()) for path in source_files(app)) for app in APPS}
    total = sum(lines.values())
    assert all(count <= total / 2 for count in lines.values()), lines


def test_no_code_outside_the_page_cache_bumps_the_content_version():
    # Signal receivers in backpain.pagecache invalidate for every registered model; nothing else may bump.
    owners = {ROOT / "backpain" / "pagecache.py", ROOT / "backpain" / "models.py"}
    callers = [
        path.relative_to(ROOT)
        for app in APPS
        for path in source_files(app)
        if path not in owners
        for node in ast.walk(ast.parse(path.read_text()))
        if (isinstance(node, ast.Attribute) and node.attr == "bump")
        or (isinstance(node, ast.Name) and node.id == "ContentVersion")
    ]
    assert callers == []


def test_every_public_content_model_is_registered_with_the_page_cache():
    from django.apps import apps

    from backpain import pagecache
    from backpain.models import PublicContent

    public = {model for model in apps.get_models() if issubclass(model, PublicContent)}
    assert public and public <= set(pagecache.public_models())


def test_every_file_the_readme_code_map_names_exists():
    readme = (ROOT / "README.md").read_text()
    code_map = readme[readme.index("## Map of the code") :]
    named = set(re.findall(r"`((?:articles|assessment|backpain|bench|tests)/[\w/.]+\.py)`", code_map))
    named |= {f"templates/{name}" for name in re.findall(r"`((?:articles|assessment|includes)/\w+\.html)`", code_map)}
    assert len(named) > 20
    assert sorted(path for path in named if not (ROOT / path).exists()) == []
