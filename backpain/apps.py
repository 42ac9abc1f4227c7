from importlib import import_module

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin.apps import AdminConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from django.utils import timezone


class BackpainConfig(AppConfig):
    """The project package as an app, for site-wide management commands."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "backpain"
    verbose_name = "Back Pain Advisor"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import editors, mail, outbox_admin, retention, search, search_admin  # noqa: F401  (the *_admin modules register)

        post_migrate.connect(editors.sync_editors_group, dispatch_uid="backpain.editors.sync_editors_group")
        search.connect_post_migrate(self)

        retention.register(
            "sessions",
            what="expired sessions",
            setting="SESSION_COOKIE_AGE",
            unit="seconds",
            purge=purge_expired_sessions,
        )
        retention.register(
            "sign-in-records",
            what="records of sign-ins and failed sign-ins",
            setting="SIGN_IN_RECORD_RETENTION_DAYS",
            purge=purge_sign_in_records,
        )
        retention.register(
            "sent-emails",
            what="the site's sent and failed emails, in its mail outbox",
            setting="MAIL_RETENTION_DAYS",
            purge=mail.purge_finished,
        )


def purge_expired_sessions(cutoff):
    """Delete sessions past their expiry date, as ``clearsessions`` does; return how many (0 if not in a database).

    A session ends ``SESSION_COOKIE_AGE`` after it last changed; its own expiry date says when, so ``cutoff``
    is not needed here.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        store.clear_expired()
        return 0
    return store.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()[0]


def purge_sign_in_records(cutoff):
    """Delete django-axes' records (attempts, sign-ins, failures) made before ``cutoff``; return how many.

    Never one still inside its lockout's cool-off time, whatever the setting says: that would unlock early.
    """
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cool_off = get_cool_off()
    if cool_off is not None:
        cutoff = min(cutoff, timezone.now() - cool_off)
    models = (AccessAttempt, AccessLog, AccessFailureLog)
    return sum(model.objects.filter(attempt_time__lt=cutoff).delete()[1].get(model._meta.label, 0) for model in models)


class EditorsAdminConfig(AdminConfig):
    default_site = "backpain.admin.EditorsAdminSite"


class StaticFilesConfig(BaseStaticFilesConfig):
    """Collect only the Bootstrap file the site uses, not the package's 24 MB of variants."""

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "bootstrap/js/*",
        "bootstrap/css/bootstrap-*",
        "bootstrap/css/bootstrap.css*",
        "bootstrap/css/bootstrap.rtl*",
    ]
