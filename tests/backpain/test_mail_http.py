"""Mail never in a reader's request, over HTTP against gunicorn in production mode with the mail worker beside it.

The site's mail server is a local one that can hang (accept and never answer), answer, or refuse every
recipient (``tests/harness/smtp.py``). While it hangs, a comment and a contact message are answered at once
with the usual thanks, and four comments at the same moment leave pages as quick as ever; once it answers, the
worker delivers every email. An email the server keeps refusing ends failed in the admin's mail outbox, where
an editor (no superuser) sees it and sends it again.
"""

import threading
import time
from dataclasses import dataclass

import pytest

from articles.forms import ContactForm
from tests.harness.clients import Tally, Visitor, post_form, read_forms
from tests.harness.servers import SECRET, MailWorker, gunicorn, manage_shell, prepare_site, production_env, run_sql
from tests.harness.smtp import SMTPServer

ARTICLE = "/articles/effective-lower-back-stretches/"
QUICK = 2.0  # seconds: the most a reader may wait for a post or a page while the mail server hangs
TRIES = 9  # MAIL_RETRY_DELAYS below: eight one-second waits, so nine tries
EDITOR, EDITOR_PASSWORD = "mail-editor", "a-long-password-for-the-mail-tests"


@dataclass
class Site:
    url: str
    env: dict
    smtp: SMTPServer
    worker: MailWorker

    def outbox(self, subject_contains):
        """(status, attempts) of each email in the outbox whose subject contains the text, oldest first."""
        return run_sql(
            self.env,
            "SELECT status, attempts FROM backpain_outgoingemail WHERE subject LIKE ? ORDER BY id",
            f"%{subject_contains}%",
        )

    def wait_for_outbox(self, subject_contains, statuses, timeout=90):
        """Poll until every email with that subject has one of ``statuses`` (and there is one); return them."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.outbox(subject_contains)
            if rows and all(status in statuses for status, _ in rows):
                return rows
            if time.monotonic() > deadline:
                raise AssertionError(f"outbox for {subject_contains!r}: {rows}; worker log: {self.worker.log_tail()}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def site(tmp_path_factory, static_root):
    tmp_path = tmp_path_factory.mktemp("mail-http")
    smtp = SMTPServer(mode="hang").start()
    env = production_env(
        tmp_path,
        static_root,
        **smtp.env(),
        EMAIL_TIMEOUT="5",  # longer than QUICK: had a request waited for the server, it would show
        MAIL_RETRY_DELAYS=",".join(["1"] * (TRIES - 1)),
        EDITORS_EMAILS="editors@example.com",
        COMMENT_MIN_FILL_SECONDS="0",
        COMMENT_RATE_LIMIT="100",
        DJANGO_ADMIN_2FA="0",
    )
    prepare_site(env)
    manage_shell(
        env,
        "import json; from django.contrib.auth.models import Group, User; "
        f"user = User.objects.create_user({EDITOR!r}, password={EDITOR_PASSWORD!r}, is_staff=True); "
        "user.groups.add(Group.objects.get(name='Editors')); print(json.dumps(user.is_superuser))",
    )
    try:
        with gunicorn(env) as url, MailWorker(env) as worker:
            yield Site(url, env, smtp, worker)
    finally:
        smtp.stop()


def reader(site, kind="reader"):
    return Visitor(site.url, Tally(), kind, timeout=30)


def timed(call, *args, **kwargs):
    started = time.monotonic()
    result = call(*args, **kwargs)
    return result, time.monotonic() - started


def send_comment(visitor, body):
    """Post a comment from the article page; return (the page the reader is sent to, seconds the post took)."""
    form = post_form(visitor.get(ARTICLE).text, ARTICLE, action_contains="/comments/")
    answer, seconds = timed(visitor.post, form.action, form.with_values(name="Sam", body=body), expect=(303,))
    return visitor.get(answer.location).text, seconds


def send_contact(visitor, subject):
    """Send the contact form; return (the page the reader is sent to, seconds the post took)."""
    form = post_form(visitor.get("/contact/").text, "/contact/")
    fields = form.with_values(
        name="Sam Reader",
        email="sam@example.com",
        subject=subject,
        message="The second step says knee twice.",
        # As if the form had been open for half a minute, as a person's would (the site's own key).
        started=ContactForm.make_token(now=time.time() - 30, key=SECRET),
    )
    answer, seconds = timed(visitor.post, "/contact/", fields, expect=(302,))
    return visitor.get(answer.location).text, seconds


def test_a_hung_mail_server_costs_readers_nothing_and_the_worker_delivers_once_it_answers(site):
    site.smtp.mode = "hang"
    connections_before = site.smtp.connections
    visitor = reader(site)

    page, seconds = send_comment(visitor, "Hung-server comment: thank you, this helped.")
    assert seconds < QUICK
    assert "Thank you, we have your comment." in page
    page, seconds = send_contact(visitor, "Hung-server message")
    assert seconds < QUICK
    assert "<h1>Thank you for your message</h1>" in page

    # Four comments at the same moment, while a reader keeps reading pages.
    start = threading.Barrier(5)
    posts, reads, errors = [], [], []

    def comment(number):
        try:
            commenter = reader(site, f"commenter {number}")
            form = post_form(commenter.get(ARTICLE).text, ARTICLE, action_contains="/comments/")
            fields = form.with_values(name=f"Reader {number}", body=f"Hung-server comment {number} at once.")
            start.wait(timeout=30)
            posts.append(timed(commenter.post, form.action, fields, expect=(303,))[1])
        except Exception as exc:  # reported below, with the others
            errors.append(exc)

    def read_pages():
        try:
            start.wait(timeout=30)
            page_reader = reader(site, "page reader")
            for path in ("/", ARTICLE, "/stretches/", "/", ARTICLE, "/stretches/"):
                reads.append(timed(page_reader.get, path)[1])
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=comment, args=(number,)) for number in range(4)]
    threads.append(threading.Thread(target=read_pages))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(posts) == 4 and max(posts) < QUICK, posts
    assert len(reads) == 6 and max(reads) < QUICK, reads

    # The worker has been trying the hung server all along; nothing was sent, nothing was lost.
    deadline = time.monotonic() + 30
    while site.smtp.connections == connections_before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert site.smtp.connections > connections_before
    assert site.smtp.received == []
    assert len(site.outbox("Hung-server")) == 1 and len(site.outbox("New comment")) == 5

    site.smtp.mode = "accept"
    site.wait_for_outbox("New comment", {"sent"})
    site.wait_for_outbox("Hung-server message", {"sent"})
    delivered = [item.message for item in site.smtp.received]
    assert sum("Hung-server comment" in message.get_content() for message in delivered) == 5
    (contact,) = [message for message in delivered if "Hung-server message" in message["Subject"]]
    assert contact["To"] == "editors@example.com" and contact["Reply-To"] == "sam@example.com"
    assert "The second step says knee twice." in contact.get_content()


def sign_in_editor(site):
    editor = reader(site, "editor")
    form = post_form(editor.get("/admin/login/?next=/admin/").text, "/admin/login/")
    editor.post(form.action, form.with_values(username=EDITOR, password=EDITOR_PASSWORD), expect=(302,))
    return editor


def test_an_email_that_keeps_failing_ends_in_the_editors_outbox_and_sends_once_sent_again(site):
    site.smtp.mode = "reject"
    send_contact(reader(site), "Always-refused message")
    ((status, attempts),) = site.wait_for_outbox("Always-refused", {"failed"})
    assert attempts == TRIES

    editor = sign_in_editor(site)
    index = editor.get("/admin/").text
    assert "could not be sent" in index and "/admin/backpain/outgoingemail/?status__exact=failed" in index
    failed_list = "/admin/backpain/outgoingemail/?status__exact=failed"
    listing = editor.get(failed_list).text
    assert "Always-refused message" in listing and f"Failed after {TRIES} tries" in listing
    ((email_id,),) = run_sql(site.env, "SELECT id FROM backpain_outgoingemail WHERE subject LIKE ?", "%Always-refused%")
    detail = editor.get(f"/admin/backpain/outgoingemail/{email_id}/change/").text
    assert "SMTPRecipientsRefused" in detail and "No such mailbox here" in detail

    site.smtp.mode = "accept"
    (actions,) = [form for form in read_forms(listing) if "action" in form.options]
    fields = actions.with_values(action="send_again", _selected_action=str(email_id))
    answer = editor.post(failed_list, fields, expect=(302,))
    assert "Queued 1 email(s) to be sent again." in editor.get(answer.location).text
    site.wait_for_outbox("Always-refused", {"sent"})
    assert any("Always-refused message" in item.message["Subject"] for item in site.smtp.received)
    assert "Sent " in editor.get(f"/admin/backpain/outgoingemail/{email_id}/change/").text
