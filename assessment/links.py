"""Which self-check pages an editor's link may go to, and the ones the link picker offers
(registered with ``backpain.links`` and ``backpain.writing`` from ``AssessmentConfig.ready``)."""

from django.urls import reverse

from backpain import links, writing

from .models import SelfTest


def self_test_problem(slug, **kwargs):
    return None if SelfTest.objects.filter(slug=slug).exists() else "no self-test page has this address"


def private(**kwargs):
    return "it is one reader's private result"


def editors_only(**kwargs):
    return "it is the editors' preview"


def self_check_pages():
    fixed = [
        links.Page("Self-check", "The imbalance self-check (start)", reverse("assessment:start")),
        links.Page("Self-check", "Home self-tests", reverse("assessment:self-tests")),
        links.Page("Self-check", "Muscles to strengthen", reverse("assessment:strengthening")),
    ]
    return fixed + [links.Page("Self-test", test.title, test.get_absolute_url()) for test in SelfTest.objects.all()]


def register():
    links.register_target("assessment:self-test", self_test_problem)
    for name in ("assessment:result", "assessment:reminder", "assessment:routine"):
        links.register_target(name, private)
    links.register_target("assessment:preview", editors_only)
    links.register_pages("Self-check", self_check_pages)
    writing.register_illustrations(SelfTest, "illustration", "img/self-tests/")
