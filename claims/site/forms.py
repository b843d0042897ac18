from django import forms

from claims.models import ClaimSubmission
from claims.models.submissions import SUBMISSION_TEXT_MAX, SUBMISSION_TEXT_MIN


class ClaimSubmissionForm(forms.ModelForm):
    """A reader's claim to check. `website` is a honeypot: hidden from people, filled in by
    bots that fill in every field."""

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = ClaimSubmission
        fields = ["text", "link", "contact"]
        labels = {
            "text": "What is the claim?",
            "link": "Where did you see it? (optional)",
            "contact": "How can we reach you? (optional)",
        }
        help_texts = {
            "text": f"Who said what, and when, in your own words ({SUBMISSION_TEXT_MIN} to "
            f"{SUBMISSION_TEXT_MAX} characters).",
            "link": "A link to the post, article or video.",
            "contact": "An email address, if you would like to hear what we find. We use it "
            "for nothing else.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < SUBMISSION_TEXT_MIN:
            raise forms.ValidationError(
                f"Please tell us a little more: at least {SUBMISSION_TEXT_MIN} characters."
            )
        return text

    def clean_contact(self):
        return self.cleaned_data["contact"].strip()

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))
