"""A bare Django project, apart from the site: the reference ``bench/run.py`` measures pages against.

Only Django's stock middleware and one view that returns ``?bytes=n`` bytes, served by its own gunicorn
with the same worker count as the site, so a page's ratio to it is what the whole site costs on top of
the framework: its middleware, views, templates, queries and page cache.
"""
