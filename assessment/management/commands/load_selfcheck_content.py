"""Load the self-check's shipped content: self-tests, the four imbalances, the questionnaire, the gentle routine."""

from pathlib import Path

from django.core.management import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Muscle, Stretch
from assessment.models import (
    Choice,
    GentleStretch,
    Imbalance,
    ImbalanceMuscle,
    Question,
    Questionnaire,
    SelfTest,
)
from backpain.models import DemoContent
from backpain.seeding import read_yaml, seed, seed_fields, shipped_review

CONTENT_DIR = Path(__file__).resolve().parents[2] / "site_content"
WEIGHT_CODES = {
    "A": Imbalance.Code.ANTERIOR.value,
    "P": Imbalance.Code.POSTERIOR.value,
    "L": Imbalance.Code.LATERAL.value,
    "R": Imbalance.Code.ROTATION.value,
}
SELF_TEST_FIELDS = ["title", "summary", "you_need", "steps", "what_it_tells_you", "safety"]
SELF_TEST_PICTURE_FIELDS = ["illustration", "illustration_alt"]


class Command(BaseCommand):
    help = "Load the self-check's content. Safe to run again: it never overwrites an editor's changes."

    @transaction.atomic
    def handle(self, *args, **options):
        self.counts = {}
        self_tests = self.load_self_tests()
        self.load_imbalances()
        self.load_questionnaire(self_tests)
        self.load_gentle_routine()
        summary = ", ".join(f"{count} {action}" for action, count in sorted(self.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Self-check: {summary}."))

    def tally(self, result):
        self.counts[result.action] = self.counts.get(result.action, 0) + 1
        return result.obj

    def load_self_tests(self):
        for order, item in enumerate(read_yaml(CONTENT_DIR / "self_tests.yaml")):
            values = {name: item.get(name, "") for name in SELF_TEST_FIELDS}
            values["order"] = order
            review = shipped_review(item.get("reviewed_on"))
            test = self.tally(seed(SelfTest, f"selftest:{item['slug']}", {"slug": item["slug"]}, values, review=review))
            # Kept out of the seeded values so that pages loaded before it existed still take text updates;
            # an editor's own figure (anything but the default) is never replaced.
            default = SelfTest._meta.get_field("minutes").default
            if test is not None and "minutes" in item and test.minutes == default != item["minutes"]:
                test.minutes = item["minutes"]
                test.save(update_fields=["minutes"])
            # The drawing came after the text: fingerprinted on its own, so pages loaded before it still get
            # it (unless an editor chose a picture first), and an editor's change to it is never replaced.
            if any(name in item for name in SELF_TEST_PICTURE_FIELDS):
                pictures = {name: item.get(name, "") for name in SELF_TEST_PICTURE_FIELDS}
                seed_fields(test, f"selftest-picture:{item['slug']}", pictures)
        return {test.slug: test for test in SelfTest.objects.all()}

    def load_imbalances(self):
        muscles = {muscle.slug: muscle for muscle in Muscle.objects.all()}
        stretches = {(s.muscle.slug, s.slug): s for s in Stretch.objects.select_related("muscle")}
        for order, item in enumerate(read_yaml(CONTENT_DIR / "imbalances.yaml")):
            values = {
                "name": item["name"],
                "summary": item["summary"],
                "side_reading": item["side_reading"],
                "other_tight_muscles": item["other_tight_muscles"],
                "muscles_to_strengthen": item["muscles_to_strengthen"],
                "order": order,
            }
            imbalance = self.tally(seed(Imbalance, f"imbalance:{item['slug']}", {"slug": item["slug"]}, values))
            if imbalance is None:
                continue
            # The exercises came after the rest: fingerprinted on their own, so imbalances loaded before them
            # still get them, and an editor's own words are never replaced.
            if "strengthening" in item:
                exercises = {"strengthening": item["strengthening"]}
                seed_fields(imbalance, f"imbalance-strengthening:{item['slug']}", exercises)
            for link_order, link in enumerate(item["stretch"]):
                muscle = muscles.get(link["muscle"])
                if muscle is None:
                    continue
                values = {
                    "side": link["side"],
                    "stretch": stretches.get((link["muscle"], link["stretch"])),
                    "order": link_order,
                }
                key = f"imbalance-muscle:{item['slug']}/{link['muscle']}"
                self.tally(seed(ImbalanceMuscle, key, {"imbalance": imbalance, "muscle": muscle}, values))

    def load_questionnaire(self, self_tests):
        data = read_yaml(CONTENT_DIR / "questionnaire.yaml")
        version = data["version"]
        values = {"title": data["title"], "notes": data["notes"]}
        review = shipped_review(data.get("reviewed_on"))
        key = f"questionnaire:{version}"
        seeded = seed(Questionnaire, key, {"version": version}, values, review=review)
        questionnaire = self.tally(seeded)
        if questionnaire is None:
            return
        if questionnaire.is_draft and seeded.action != "created":
            # A draft with the shipped number is an editor's (or was never taken): its questions are the
            # editors' to change, and only they publish it.
            self.stdout.write(f"Kept questionnaire version {version}: it is a draft, so it was not loaded.")
            return
        order = 0
        for item in data["red_flags"]:
            order += 1
            values = {"order": order, "kind": Question.Kind.RED_FLAG, "text": item["text"], "urgency": item["urgency"]}
            key = f"question:v{version}/{item['slug']}"
            self.tally(seed(Question, key, {"questionnaire": questionnaire, "slug": item["slug"]}, values))
        for item in data["questions"]:
            order += 1
            values = {
                "order": order,
                "kind": item.get("kind", Question.Kind.SINGLE),
                "text": item["text"],
                "help_text": item.get("help", ""),
                "self_test": self_tests.get(item.get("self_test", "")),
                "role": item.get("role", Question.Role.CHECK),
                "side_evidence": item.get("side_evidence", Question.SideEvidence.INDIRECT),
            }
            key = f"question:v{version}/{item['slug']}"
            question = self.tally(seed(Question, key, {"questionnaire": questionnaire, "slug": item["slug"]}, values))
            if question is None:
                continue
            for choice_order, choice in enumerate(item["choices"]):
                weights = {WEIGHT_CODES[code]: points for code, points in sorted(choice.get("weights", {}).items())}
                values = {
                    "label": choice["label"],
                    "weights": weights,
                    "side_vote": choice.get("side", ""),
                    "finding": choice.get("finding", Choice.Finding.NORMAL),
                }
                key = f"choice:v{version}/{item['slug']}/{choice_order}"
                self.tally(seed(Choice, key, {"question": question, "order": choice_order}, values))
        self.activate(questionnaire)

    def activate(self, questionnaire):
        """Make the shipped version live, unless an editor's own version is: a newer shipped one replaces an older."""
        live = Questionnaire.objects.active().first()
        if live == questionnaire:
            return
        shipped = DemoContent.objects.filter(key=f"questionnaire:{live.version}").exists() if live else False
        if live is None or (shipped and live.version < questionnaire.version):
            if questionnaire.is_draft:
                questionnaire.publish(timezone.now())
            else:  # a shipped version that was live before, brought back
                Questionnaire.objects.filter(pk=getattr(live, "pk", None)).update(is_active=False)
                questionnaire.is_active = True
                questionnaire.save(update_fields=["is_active"])

    def load_gentle_routine(self):
        data = read_yaml(CONTENT_DIR / "questionnaire.yaml")
        stretches = {(s.muscle.slug, s.slug): s for s in Stretch.objects.select_related("muscle")}
        for order, item in enumerate(data.get("gentle_routine", [])):
            stretch = stretches.get((item["muscle"], item["stretch"]))
            if stretch is None:
                continue
            key = f"gentle-stretch:{item['muscle']}/{item['stretch']}"
            self.tally(seed(GentleStretch, key, {"stretch": stretch}, {"order": order}))
