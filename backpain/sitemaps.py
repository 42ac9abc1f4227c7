"""The XML sitemap's sections, which each app registers from its ``AppConfig.ready``, so the project imports no app.

Sections appear in ``/sitemap.xml`` in the order they were registered (``INSTALLED_APPS`` order).
"""

SECTIONS = {}


def register(sections):
    """Add an app's sitemap sections (name → ``Sitemap`` class); a name already taken is a mistake."""
    taken = SECTIONS.keys() & sections.keys()
    if taken:
        raise ValueError(f"Sitemap sections registered twice: {', '.join(sorted(taken))}.")
    SECTIONS.update(sections)
