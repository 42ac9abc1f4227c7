"""Forms for the self-check's steps. Templates render them by hand: fieldsets, legends, linked errors."""

import re

from django import forms

TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
TIME_ERROR = "Enter a time like 21:30 (24-hour clock)."


class StartForm(forms.Form):
    """Start (or restart) a run; ``previous`` is the token of an earlier result when retaking."""

    previous = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class RedFlagForm(forms.Form):
    """The warning-sign screen: tick any signs, or deliberately tick "none of these"."""

    signs = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    none = forms.BooleanField(required=False, label="I have none of these")

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signs"].choices = [(str(question.pk), question.text) for question in questions]
        self.fields["signs"].error_messages["invalid_choice"] = "Tick only the signs shown on this page."

    def clean(self):
        cleaned = super().clean()
        signs, none = cleaned.get("signs"), cleaned.get("none")
        if "signs" in self.errors:
            return cleaned
        if signs and none:
            self.add_error("none", "You ticked a warning sign and “I have none of these”. Untick one of them.")
        elif not signs and not none:
            self.add_error("none", "Tick any signs you have, or tick “I have none of these”.")
        return cleaned


class CheckedForm(forms.Form):
    """After routine warning signs: has a doctor or physiotherapist already checked them?"""

    checked = forms.ChoiceField(
        choices=[
            ("yes", "Yes, a doctor or physiotherapist has checked my back for this"),
            ("no", "No, or I'm not sure"),
        ],
        widget=forms.RadioSelect,
        label="Has a doctor or physiotherapist already checked your back for this?",
        error_messages={
            "required": "Choose whether a doctor or physiotherapist has checked this, so your result gives the "
            "right advice.",
            "invalid_choice": "Choose one of the answers shown.",
        },
    )


class AnswerForm(forms.Form):
    """One question: pick one answer from the question's own choices."""

    answer = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an answer to carry on.",
            "invalid_choice": "Choose one of the answers shown.",
        },
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        self.fields["answer"].label = question.text


class ReminderForm(forms.Form):
    """The nightly time for a calendar reminder, as HH:MM (24-hour)."""

    time = forms.CharField(
        max_length=5,
        initial="21:30",
        label="Stretch time each night",
        error_messages=dict.fromkeys(["required", "max_length", "null_characters_not_allowed"], TIME_ERROR),
    )

    def clean_time(self):
        value = self.cleaned_data["time"]
        match = TIME_RE.match(value)
        if not match:
            raise forms.ValidationError(TIME_ERROR)
        return int(match.group(1)), int(match.group(2))
