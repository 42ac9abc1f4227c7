from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles and stretches"

    def ready(self):
        from . import search

        search.register_own_sources()
        self.register_retention()

    def register_retention(self):
        """What this app keeps about readers, and for how long (see backpain.retention)."""
        from backpain import retention

        from .models import Comment, ContactMessage, RateLimit

        retention.register(
            "unpublished-comments",
            what="rejected comments and comments never approved",
            setting="COMMENT_RETENTION_DAYS",
            purge=Comment.objects.purge_unpublished,
        )
        retention.register(
            "comment-hashes",
            what="address hashes from comments and reports",
            setting="COMMENT_HASH_RETENTION_DAYS",
            purge=Comment.objects.forget_visitors,
        )
        retention.register(
            "contact-messages",
            what="contact messages",
            setting="CONTACT_MESSAGE_RETENTION_DAYS",
            purge=ContactMessage.objects.purge_before,
        )
        retention.register(
            "rate-limit-window",
            what="rate-limit records",
            setting="RATE_LIMIT_WINDOW_MINUTES",
            unit="minutes",
            purge=RateLimit.objects.purge_closed,
        )
