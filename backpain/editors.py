"""What the "Editors" group may do: one declared list, applied to the group after every migrate."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, router

GROUP_NAME = "Editors"

ALL = ("add", "change", "delete", "view")
READ = ("view",)

# Everything editors need to keep the content, nothing about users, groups or permissions. A model left out
# is one editors cannot touch (rate limits, the cache version, seed records). A new model needs one line.
EDITOR_PERMISSIONS = {
    "articles.category": ALL,
    "articles.article": ALL,
    "articles.informationlink": ALL,
    "articles.sitepage": ALL,
    "articles.muscle": ALL,
    "articles.stretch": ALL,
    "articles.source": ALL,
    "articles.articlesource": ALL,
    # History is read-only: editors restore an old version through the article (or page, muscle, stretch).
    "articles.historicalarticle": READ,
    "articles.historicalsitepage": READ,
    "articles.historicalmuscle": READ,
    "articles.historicalstretch": READ,
    # Readers write comments; editors moderate, answer and delete them, and never add one.
    "articles.comment": ("change", "delete", "view", "moderate"),
    "articles.pendingcomment": ("change", "delete", "view"),
    "articles.contactmessage": ("change", "delete", "view"),
    "articles.helpfulvote": READ,
    # Editors change a draft of the questionnaire and publish it (the live version is never changed in place).
    "assessment.questionnaire": (*ALL, "publish"),
    "assessment.question": ALL,
    "assessment.choice": ALL,
    "assessment.imbalance": ALL,
    "assessment.imbalancemuscle": ALL,
    "assessment.selftest": ALL,
    "assessment.gentlestretch": ALL,
    # Results are the readers' own: editors may look (for the summary) and delete one when a reader asks.
    "assessment.assessment": ("delete", "view"),
    # Readers' own words for search ("slipped disc" also finds "disc", "sciatica", "nerve").
    "backpain.searchterm": ALL,
    # The mail outbox: only the site writes emails; editors see what became of each and send a failed one again.
    # Deleting a comment or a message deletes the emails about it, so editors may delete emails too.
    "backpain.outgoingemail": ("view", "delete", "resend"),
}


def codenames_for(app_label, permissions=None):
    """The codenames the list grants in one app, e.g. ``{"view_article", ...}`` for "articles"."""
    permissions = EDITOR_PERMISSIONS if permissions is None else permissions
    return {
        f"{action}_{label.partition('.')[2]}"
        for label, actions in permissions.items()
        if label.partition(".")[0] == app_label
        for action in actions
    }


def sync_editors_group(app_config, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Give the Editors group exactly the listed permissions in ``app_config``'s app, creating the group if missing.

    Connected to ``post_migrate``, which Django sends once per app after ``migrate`` (and after a test's
    ``flush``), so each app's share is set after its own permissions exist. Idempotent: a second run changes
    nothing. A permission someone added to the group by hand in that app is taken away again: this list, not
    the admin, says what editors may do.
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth not migrated yet (migrate --run-syncdb, or a partial migrate)
        return
    if not router.allow_migrate_model(using, Group):
        return
    wanted_codenames = codenames_for(app_config.label)
    in_app = Permission.objects.using(using).filter(content_type__app_label=app_config.label)
    wanted = set(in_app.filter(codename__in=wanted_codenames).values_list("pk", flat=True))
    if wanted_codenames and len(wanted) < len(wanted_codenames):
        # Django's own post_migrate receiver makes the permissions; make sure, whatever the receivers' order.
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        wanted = set(in_app.filter(codename__in=wanted_codenames).values_list("pk", flat=True))
    group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    held = set(group.permissions.filter(content_type__app_label=app_config.label).values_list("pk", flat=True))
    if held - wanted:
        group.permissions.remove(*(held - wanted))
    if wanted - held:
        group.permissions.add(*(wanted - held))


def sync_all(using=DEFAULT_DB_ALIAS):
    """Apply the list to every installed app at once, as a full ``migrate`` does."""
    for app_config in global_apps.get_app_configs():
        sync_editors_group(app_config, using=using)


@checks.register(checks.Tags.models)
def check_editor_permissions(app_configs=None, **kwargs):
    """Every line of the list names an installed model and a permission that model has."""
    errors = []
    for label, actions in EDITOR_PERMISSIONS.items():
        try:
            model = global_apps.get_model(label)
        except (LookupError, ValueError):
            errors.append(
                checks.Error(
                    f"EDITOR_PERMISSIONS names {label!r}, which is not an installed model.", id="backpain.E001"
                )
            )
            continue
        opts = model._meta
        known = {f"{action}_{opts.model_name}" for action in opts.default_permissions}
        known |= {codename for codename, _ in opts.permissions}
        for action in sorted(a for a in set(actions) if f"{a}_{opts.model_name}" not in known):
            errors.append(
                checks.Error(
                    f"EDITOR_PERMISSIONS gives {action!r} on {label!r}, a permission that model does not have.",
                    id="backpain.E002",
                )
            )
    return errors
