"""Forms readers fill in: the contact form and the "Was this page helpful?" answer."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms

from .antispam import FormTimestampField, HoneypotField
from .models import ContactMessage

SINGLE_LINE_MESSAGE = "Please keep this to a single line."


def single_line(value):
    """Reject line breaks: these values end up in email headers (From name, Subject)."""
    if any(ch in value for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise forms.ValidationError(SINGLE_LINE_MESSAGE, code="multiline")
    return value


class ContactForm(forms.ModelForm):
    """The contact form: name, email, subject and message, with a honeypot and a signed fill-in time."""

    message = forms.CharField(
        label="Your message",
        max_length=5000,
        help_text="At most 5,000 characters.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    website = HoneypotField()
    started = FormTimestampField()

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        labels = {"name": "Your name", "email": "Your email address"}
        help_texts = {"email": "We only use it to reply to you."}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
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


class HelpfulForm(forms.Form):
    """A yes or no answer to "Was this page helpful?"."""

    helpful = forms.TypedChoiceField(choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes")
