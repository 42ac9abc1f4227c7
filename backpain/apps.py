from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class BackpainConfig(AppConfig):
    """The project package as an app, for site-wide management commands."""

    name = "backpain"
    verbose_name = "Back Pain Advisor"


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
