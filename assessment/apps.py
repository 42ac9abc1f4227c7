from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessment"
    verbose_name = "Imbalance self-check"

    def ready(self):
        # What readers see (the page cache), and the self-test pages in site search and the HTML site map;
        # articles never imports this app.
        from backpain import pagecache, retention, sitemaps
        from backpain.search import ContentSource, register

        from .models import (
            Assessment,
            Choice,
            GentleStretch,
            Imbalance,
            ImbalanceMuscle,
            Question,
            Questionnaire,
            SelfTest,
        )
        from .sitemaps import SITEMAPS

        for model in (SelfTest, Imbalance, ImbalanceMuscle, GentleStretch, Questionnaire, Question, Choice):
            pagecache.register(model)

        retention.register(
            "results",
            what="saved self-check results",
            setting="RESULT_RETENTION_DAYS",
            purge=lambda cutoff: Assessment.objects.filter(created_at__lt=cutoff).delete()[0],
        )

        register(
            ContentSource(
                kind="Self-test",
                queryset=SelfTest.objects.all,
                title="title",
                summary=("summary",),
                body=("steps", "what_it_tells_you"),
                site_map_heading="Home self-tests",
            )
        )
        sitemaps.register(SITEMAPS)

        # Where editors' links may go, the link picker's pages and the drawings to choose (backpain.writing).
        from . import links

        links.register()
