"""The partner form's service details: languages and eligibility are lists of codes, offered as
checkboxes; the other details are plain model fields the form takes as they are."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import EligibilityFlag, Language


class ServiceDetailsFields(forms.Form):
    """Mixed into the partner form before its model form base."""

    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligibility = forms.MultipleChoiceField(
        label=_("Eligibility"),
        choices=EligibilityFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_languages(self) -> list[str]:
        return _in_vocabulary_order(self.cleaned_data["languages"], Language)

    def clean_eligibility(self) -> list[str]:
        return _in_vocabulary_order(self.cleaned_data["eligibility"], EligibilityFlag)


def _in_vocabulary_order(chosen, choices) -> list[str]:
    # A stable order, so re-saving the same ticks records no change.
    picked = set(chosen)
    return [c.value for c in choices if c.value in picked]
