"""Load the self-check's shipped content: self-test pages, the four imbalances and the first questionnaire."""

from pathlib import Path

from django.core.management import BaseCommand
from django.db import transaction

from articles.models import Muscle, Stretch
from articles.seeding import read_yaml, seed
from assessment.models import Choice, Imbalance, ImbalanceMuscle, Question, Questionnaire, SelfTest

CONTENT_DIR = Path(__file__).resolve().parents[2] / "demo_content"
WEIGHT_CODES = {
    "A": Imbalance.Code.ANTERIOR.value,
    "P": Imbalance.Code.POSTERIOR.value,
    "L": Imbalance.Code.LATERAL.value,
    "R": Imbalance.Code.ROTATION.value,
}
SELF_TEST_FIELDS = ["title", "summary", "you_need", "steps", "what_it_tells_you", "safety"]


class Command(BaseCommand):
    help = "Load the self-check's content. Safe to run again: it never overwrites an editor's changes."

    @transaction.atomic
    def handle(self, *args, **options):
        self.counts = {}
        self_tests = self.load_self_tests()
        self.load_imbalances()
        self.load_questionnaire(self_tests)
        summary = ", ".join(f"{count} {action}" for action, count in sorted(self.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Self-check: {summary}."))

    def tally(self, result):
        self.counts[result.action] = self.counts.get(result.action, 0) + 1
        return result.obj

    def load_self_tests(self):
        for order, item in enumerate(read_yaml(CONTENT_DIR / "self_tests.yaml")):
            values = {name: item.get(name, "") for name in SELF_TEST_FIELDS}
            values["order"] = order
            self.tally(seed(SelfTest, f"selftest:{item['slug']}", {"slug": item["slug"]}, values))
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
        if not Questionnaire.objects.active().exclude(version=version).exists():
            values["is_active"] = True
        questionnaire = self.tally(seed(Questionnaire, f"questionnaire:{version}", {"version": version}, values))
        if questionnaire is None:
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
            }
            key = f"question:v{version}/{item['slug']}"
            question = self.tally(seed(Question, key, {"questionnaire": questionnaire, "slug": item["slug"]}, values))
            if question is None:
                continue
            for choice_order, choice in enumerate(item["choices"]):
                weights = {WEIGHT_CODES[code]: points for code, points in sorted(choice.get("weights", {}).items())}
                values = {"label": choice["label"], "weights": weights, "side_vote": choice.get("side", "")}
                key = f"choice:v{version}/{item['slug']}/{choice_order}"
                self.tally(seed(Choice, key, {"question": question, "order": choice_order}, values))
