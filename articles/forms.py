"""Forms: what readers fill in (comments, the contact form, "Was this page helpful?"), with quiet defences
against spam bots, and the editors' forms for muscles and stretches."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core import validators
from django.urls import reverse

from backpain.antispam import SpamProtection

from .body_map import REGION_CHOICES
from .models import Comment, ContactMessage, Muscle, Stretch, comment_kind
from .moderation import clean_text, has_visible_text, priority_reasons


def target_key(target):
    """Name a comment target in a form token, e.g. "article:12", so a token works only on its own page."""
    return f"{target._meta.model_name}:{target.pk}"


def readers_text(value, empty_message, one_line=False):
    """A reader's text fit to store (``moderation.clean_text``; one line with single spaces if ``one_line``).

    Text that cleaning leaves empty, or that shows nothing (only zero-width or blank characters), is
    refused with ``empty_message``, as if nothing had been written.
    """
    text = clean_text(value)
    text = " ".join(text.split()) if one_line else text
    if not has_visible_text(text):
        raise forms.ValidationError(empty_message, code="required")
    return text


class CommentForm(SpamProtection, forms.ModelForm):
    """A reader's comment: name, optional email for a reply, the text.

    Two fields are not for people (``SpamProtection``): ``website``, a
    honeypot hidden from sight, from screen readers and from the tab order,
    and ``started``, a signed time bound to this page, which catches bots
    that post the instant they load the page or replay an old page.
    """

    spam_salt = "backpain.articles.comment-form"
    spam_expired_message = (
        "This page was open for more than {hours} hours, so the form timed out to keep the site safe. "
        "Your comment is still below: please check it and post it again."
    )
    spam_too_fast_message = (
        "Your comment came back within {seconds} seconds of the page opening, which is how spam robots post, "
        "so it has not been posted. Wait a few seconds, then post it again: your comment is still below."
    )
    error_summary_field = "body"  # where the summary sends a reader for an error of the whole form

    class Meta:
        model = Comment
        fields = ["name", "email", "notify_on_reply", "body"]
        labels = {
            "name": "Your name",
            "email": "Your email address (optional)",
            "notify_on_reply": "Email me when an editor replies",
            "body": "Your comment",
        }
        help_texts = {
            "name": "Shown with your comment. A first name is fine.",
            "email": "Never shown. We use it only to tell you about a reply, if you tick the box below.",
            "notify_on_reply": "",
            "body": "Plain text, up to 3,000 characters. Please leave out anything you would not want public. "
            "Editors cannot give personal medical advice.",
        }
        error_messages = {
            "name": {
                "required": "Enter your name (a first name is fine)",
                "max_length": "Enter a name of 80 characters or fewer",
            },
            "email": {
                "invalid": "Enter an email address in the right form, like name@example.com, or leave it empty",
                "max_length": "Enter an email address of 254 characters or fewer, or leave it empty",
            },
            "body": {
                "required": "Enter your comment",
                "max_length": "Shorten your comment to 3,000 characters or fewer (it has %(show_value)d)",
            },
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.priority_reasons = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # Field errors inline; the comments template shows one summary of every error above the form.
        self.helper.template = "includes/comment_form_fields.html"
        self.helper.layout = Layout(
            Field("name", autocomplete="name"),
            Field("email", autocomplete="email"),
            "notify_on_reply",
            "body",
            Div("website", css_class="comment-hp", aria_hidden="true"),
            "started",
        )

    @property
    def spam_scope(self):
        return target_key(self.target)

    @property
    def spam_min_seconds(self):
        return settings.COMMENT_MIN_FILL_SECONDS

    @property
    def spam_max_age(self):
        return settings.COMMENT_FORM_MAX_AGE

    @property
    def action(self):
        """The address the form posts to."""
        return reverse(f"articles:comment-{comment_kind(self.target)}", args=[self.target.slug])

    def refuse(self, message):
        """Show ``message`` as the form's error without reading what was sent (e.g. a request far too big)."""
        self.full_clean()
        self.cleaned_data = {}
        self.add_error(None, message)

    def clean_name(self):
        return readers_text(self.cleaned_data["name"], self.Meta.error_messages["name"]["required"], one_line=True)

    def clean_body(self):
        return readers_text(self.cleaned_data["body"], self.Meta.error_messages["body"]["required"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_on_reply") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your email address to be told about a reply, or untick the box")
        self.priority_reasons = priority_reasons(f"{cleaned.get('name', '')}\n{cleaned.get('body', '')}")
        return cleaned


MAX_STEPS = 15
MAX_STEP_LENGTH = 500
# Editors often paste numbered lists; the page numbers the steps itself.
LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+")


class StepsField(forms.CharField):
    """A textarea with one step per line, stored as a list of strings."""

    widget = forms.Textarea(attrs={"rows": 8, "cols": 80})
    default_error_messages = {"required": "Write the steps, one per line."}

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(step) for step in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        lines = (LEADING_NUMBER.sub("", line).strip() for line in str(value or "").splitlines())
        return [line for line in lines if line]

    def validate(self, value):
        super().validate(value)
        # CharField's own NUL check sees the list's repr, where a NUL is spelled out; PostgreSQL refuses it in JSON.
        for step in value:
            validators.ProhibitNullCharactersValidator()(step)
        if len(value) > MAX_STEPS:
            raise forms.ValidationError(
                f"Keep it to {MAX_STEPS} steps or fewer (this has {len(value)}); readers follow them at bedtime."
            )
        too_long = [number for number, step in enumerate(value, start=1) if len(step) > MAX_STEP_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Step {too_long[0]} is longer than {MAX_STEP_LENGTH} characters; split it into two steps."
            )


class StretchAdminForm(forms.ModelForm):
    steps = StepsField(
        help_text=(
            "One step per line, in order. Numbers are added on the page; blank lines are ignored. Leave out hold "
            "times, repetitions and rests: the page adds them from the dose fields."
        )
    )
    video_url = forms.URLField(
        required=False, assume_scheme="https", help_text=Stretch._meta.get_field("video_url").help_text
    )

    class Meta:
        model = Stretch
        fields = [
            "muscle", "name", "slug", "order", "summary", "technique", "steps", "hold_seconds", "repetitions",
            "rest_seconds", "contract_seconds", "relax_seconds", "sides", "what_you_should_feel", "cautions",
            "illustration", "image", "image_alt", "video_url", "video_file", "captions_file",
        ]  # fmt: skip


class MuscleAdminForm(forms.ModelForm):
    referral_regions = forms.TypedMultipleChoiceField(
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Referred pain areas",
        help_text="Shaded on the body map of the muscle's page, and listed in words beside it.",
    )

    class Meta:
        model = Muscle
        fields = [
            "name", "slug", "other_names", "summary", "order", "location", "action", "why_it_tightens",
            "trigger_points", "referred_pain", "referral_regions", "body_view",
        ]  # fmt: skip


SINGLE_LINE_MESSAGE = "Write this on one line"


def single_line(value):
    """Reject line breaks: these values end up in email headers (From name, Subject)."""
    if any(ch in value for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise forms.ValidationError(SINGLE_LINE_MESSAGE, code="multiline")
    return value


class ContactForm(SpamProtection, forms.ModelForm):
    """The contact form: name, email, subject and message, with a honeypot and a signed fill-in time."""

    message = forms.CharField(
        label="Your message",
        max_length=5000,
        help_text="At most 5,000 characters.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter your message",
            "max_length": "Shorten your message to 5,000 characters or fewer (it has %(show_value)d)",
        },
    )
    spam_too_fast_message = (
        "Your message came back within {seconds} seconds of the page opening, which is how spam robots send "
        "forms, so it has not been sent. Wait a few seconds, then send it again: your message is still below."
    )
    error_summary_field = "message"  # where the summary sends a reader for an error of the whole form

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        labels = {"name": "Your name", "email": "Your email address"}
        help_texts = {"email": "We only use it to reply to you."}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "name": {
                "required": "Enter your name",
                "max_length": "Enter a name of 100 characters or fewer",
                "multiline": "Enter your name on one line",
            },
            "email": {
                "required": "Enter your email address, so that we can reply",
                "invalid": "Enter an email address in the right form, like name@example.com",
                "max_length": "Enter an email address of 254 characters or fewer",
            },
            "subject": {
                "required": "Enter a subject",
                "max_length": "Shorten the subject to 150 characters or fewer",
                "multiline": "Enter the subject on one line",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(single_line)
        self.fields["subject"].validators.append(single_line)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
        self.helper.layout = Layout(
            "name",
            "email",
            "subject",
            "message",
            # Out of sight for people and screen readers (class, not inline style: the CSP forbids those).
            Div(Field("website"), css_class="form-trap", aria_hidden="true", hidden=""),
            "started",
            Submit("send", "Send message"),
        )

    # Stored as readers' comments are, so the editors' inbox and the email to them show what a person typed.
    def _readers_text(self, name, one_line=False):
        return readers_text(self.cleaned_data[name], self.fields[name].error_messages["required"], one_line=one_line)

    def clean_name(self):
        return self._readers_text("name", one_line=True)

    def clean_subject(self):
        return self._readers_text("subject", one_line=True)

    def clean_message(self):
        return self._readers_text("message")


class HelpfulForm(forms.Form):
    """A yes or no answer to "Was this page helpful?"."""

    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages=dict.fromkeys(["required", "invalid_choice"], "Choose Yes or No to say if this page helped"),
    )
