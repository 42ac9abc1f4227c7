"""Forms for editors: the steps of a stretch as plain lines, and the body-map areas as tick boxes."""

import re

from django import forms

from .body_map import REGION_CHOICES
from .models import Muscle, Stretch

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
    steps = StepsField(help_text="One step per line, in order. Numbers are added on the page; blank lines are ignored.")
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
