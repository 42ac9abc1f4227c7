"""The editors' CMS for the articles app, by what it edits: ``content`` (articles, categories, sidebar links, site
pages), ``guides`` (muscles and stretches), ``comments`` (moderation) and ``feedback`` (contact messages and
helpful votes). Importing the package registers every model admin."""

from . import comments, content, feedback, guides  # noqa: F401  (each module registers its admins)
