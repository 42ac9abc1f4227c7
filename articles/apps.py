from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles and stretches"

    def ready(self):
        from . import search

        search.register_own_sources()
