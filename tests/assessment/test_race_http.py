"""Two tabs racing past the warning signs, over HTTP against real gunicorn workers, on both engines.

One tab ticks a 999 sign while the other confirms the answers, released at the same moment. Whichever
wins, the site never both sends the reader to the care page and keeps a saved plan.
"""

import json
import threading
import uuid

import pytest

from tests.harness.clients import Visitor, post_form, take_selfcheck
from tests.harness.drills import Outcome
from tests.harness.servers import GunicornServer, manage_shell, prepare_site, production_env

pytestmark = pytest.mark.own_database  # one site on a SQLite file, one on a private PostgreSQL server

RUNS = 12
CARE = "/assessment/get-care/"
STEPS_TO_CHECK = 16  # start, warning signs, the 14 questions
TOKENS_STORED = """
import json, sys
from assessment.models import Assessment
print(json.dumps(list(Assessment.objects.filter(token__in=json.load(sys.stdin)).values_list("token", flat=True))))
"""


def tab_of(visitor):
    """Another tab of the same browser: its own connection, the same cookies."""
    tab = Visitor(visitor.base, visitor.tally, visitor.kind)
    tab.cookies = dict(visitor.cookies)
    return tab


def race_once(base):
    """One reader at "check your answers"; both tabs post at once. Returns where each tab was sent."""
    reader = Visitor(base, Outcome().tally, "race")
    check_page = take_selfcheck(reader, steps=STEPS_TO_CHECK)
    assert check_page == "/assessment/check-your-answers/", check_page
    signs = post_form(reader.get("/assessment/warning-signs/").text, "/assessment/warning-signs/")
    confirm = post_form(reader.get(check_page).text, check_page)
    first_sign = signs.options["signs"][0]  # the first 999 sign on the screen
    # "I have none of these" comes back ticked (the reader passed the screen): untick it, tick the sign.
    ticked = [(key, value) for key, value in signs.with_values() if key != "none"] + [("signs", first_sign)]
    ticking, confirming = tab_of(reader), tab_of(reader)
    gate = threading.Barrier(2)
    sent = {}

    def tick():
        gate.wait()
        sent["tick"] = ticking.post("/assessment/warning-signs/", ticked).location

    def finish():
        gate.wait()
        sent["finish"] = confirming.post(check_page, confirm.with_values()).location

    threads = [threading.Thread(target=tick), threading.Thread(target=finish)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sent


def assert_no_plan_beside_a_care_page(env):
    prepare_site(env)
    with GunicornServer(env, workers=4) as server:
        runs = [race_once(server.url) for _ in range(RUNS)]
    tokens = {run["finish"].rstrip("/").rsplit("/", 1)[-1] for run in runs if "/result/" in run["finish"]}
    stored = set(manage_shell(env, TOKENS_STORED, json.dumps(sorted(tokens))))
    for run in runs:
        assert run["tick"] in (CARE,) or "/result/" in run["tick"], run
        token = run["finish"].rstrip("/").rsplit("/", 1)[-1] if "/result/" in run["finish"] else None
        if run["tick"] == CARE:
            assert token not in stored, run  # sent to the care page: no plan may be kept
        else:
            assert token in stored, run  # the result was saved first, and the tick found it finished
    assert any(run["tick"] == CARE for run in runs)


def test_two_tabs_never_leave_a_plan_beside_a_care_page_on_sqlite(tmp_path, static_root):
    assert_no_plan_beside_a_care_page(production_env(tmp_path, static_root, DATABASE_URL="", REDIS_URL=""))


def test_two_tabs_never_leave_a_plan_beside_a_care_page_on_postgres(tmp_path, static_root, postgres_server):
    database = postgres_server.create_database(f"race_{uuid.uuid4().hex[:8]}")
    assert_no_plan_beside_a_care_page(production_env(tmp_path, static_root, DATABASE_URL=database, REDIS_URL=""))
