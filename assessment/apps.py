from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessment"
    verbose_name = "Imbalance self-check"

    def ready(self):
        # The self-test pages join site search and the HTML site map; articles never imports this app.
        from articles.search import ContentSource, register
        from backpain import retention

        from .models import Assessment, SelfTest

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
