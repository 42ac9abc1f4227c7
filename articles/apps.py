from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles and stretches"

    def ready(self):
        self.register_public_content()
        self.register_search()
        self.register_retention()
        self.register_sitemaps()
        self.register_digest()
        self.register_admin_home()
        self.register_links()

    def register_public_content(self):
        """What readers see, so the page cache is rendered afresh when it changes (see backpain.pagecache)."""
        from django.utils import timezone

        from backpain import pagecache

        from .models import (
            Article,
            ArticleSource,
            Category,
            Comment,
            InformationLink,
            Muscle,
            SitePage,
            Source,
            Stretch,
        )

        for model in (Category, Article, Muscle, Stretch, InformationLink, SitePage, Source, ArticleSource):
            pagecache.register(model)
        pagecache.register(Comment, shown=lambda comment: comment.is_shown)

        def next_scheduled_article():
            return (
                Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
                .order_by("published_at")
                .values_list("published_at", flat=True)
                .first()
            )

        pagecache.schedule(next_scheduled_article)

    def register_search(self):
        """Articles, muscles and stretches in site search (see backpain.search)."""
        from backpain.search import ContentSource, register

        from .models import Article, Muscle, Stretch

        register(
            ContentSource(
                kind="Article",
                queryset=lambda: Article.objects.published().select_related("category"),
                # Scheduled articles are indexed too; search shows them once they are live.
                indexed=lambda: Article.objects.filter(status=Article.Status.PUBLISHED),
                title="title",
                summary=("summary",),
                body=("body",),
            )
        )
        register(
            ContentSource(
                kind="Muscle",
                queryset=Muscle.objects.all,
                title="name",
                summary=("other_names", "summary"),
                body=("location", "action", "why_it_tightens", "trigger_points", "referred_pain"),
            )
        )
        register(
            ContentSource(
                kind="Stretch",
                queryset=lambda: Stretch.objects.select_related("muscle"),
                title="name",
                summary=("summary",),
                body=("steps", "what_you_should_feel", "cautions"),
                follows=("muscle",),
            )
        )

    def register_retention(self):
        """What this app keeps about readers, and for how long (see backpain.retention)."""
        from backpain import retention
        from backpain.models import RateLimit

        from .models import Comment, ContactMessage

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

    def register_digest(self):
        """New comments, reported comments and contact messages in the editors' daily digest (see backpain.mail)."""
        from backpain.mail import register_digest_section

        from .notifications import digest_sections

        for title, permission, items in digest_sections():
            register_digest_section(title, permission=permission, items=items)

    def register_admin_home(self):
        """The moderation queue and the reviews due, with counts, one click from the admin's front page."""
        from backpain.admin import register_home_cards

        from .admin.comments import moderation_cards
        from .admin.content import reviews_due_cards

        register_home_cards(moderation_cards)
        register_home_cards(reviews_due_cards)

    def register_sitemaps(self):
        """Articles, categories, muscles, stretches and site pages in /sitemap.xml (see backpain.sitemaps)."""
        from backpain import sitemaps

        from .sitemaps import SITEMAPS

        sitemaps.register(SITEMAPS)

    def register_links(self):
        """Where editors' links may go, the link picker's pages and the drawings to choose (see backpain.writing)."""
        from . import links

        links.register()
