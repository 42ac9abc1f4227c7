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


class TryItForm(forms.Form):
    """Every warning sign and question of one version on one page, for an editor trying it out in the admin.

    Each question is a field named after its id, offering that question's own answers, so an unknown answer id
    or a missing answer is a form error, never a guess.
    """

    signs = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Warning signs the reader ticks"
    )

    def __init__(self, *args, red_flags=(), asked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.red_flags, self.asked = list(red_flags), list(asked)
        self.fields["signs"].choices = [(str(q.pk), f"{q.text} ({q.get_urgency_display()})") for q in self.red_flags]
        self.fields["signs"].error_messages["invalid_choice"] = "Tick only the warning signs shown."
        for number, question in enumerate(self.asked, start=1):
            self.fields[self.field_name(question)] = forms.ChoiceField(
                label=f"{number}. {question.text}",
                widget=forms.RadioSelect,
                choices=[(str(choice.pk), choice.label) for choice in question.choices.all()],
                error_messages={
                    "required": f"Choose an answer to question {number}.",
                    "invalid_choice": f"Question {number}: choose one of the answers shown.",
                },
            )

    @staticmethod
    def field_name(question):
        return f"answer-{question.pk}"

    def question_fields(self):
        """The bound fields of the questions, in order, for the template."""
        return [self[self.field_name(question)] for question in self.asked]

    def answers(self):
        """After validation: the slugs of the signs ticked, and each question's slug with its answer's position."""
        ticked = {q.slug for q in self.red_flags if str(q.pk) in set(self.cleaned_data["signs"])}
        picked = {}
        for question in self.asked:
            ids = [str(choice.pk) for choice in question.choices.all()]
            picked[question.slug] = ids.index(self.cleaned_data[self.field_name(question)])
        return ticked, picked
