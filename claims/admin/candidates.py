"""The review step between a spotted candidate and a Claim: a small form to shorten the
statement, set the claimant (an existing Source, or a new one with its kind and
affiliation), the places and the date, or link a similar claim instead; or dismiss it with
a reason. The rules are claims.ingest.candidates'; this module only shapes the form."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple

from claims.ingest import candidates as candidate_services
from claims.models import Claim, Place, Source


class CandidateReviewForm(forms.Form):
    statement = forms.CharField(
        max_length=300,
        widget=forms.TextInput(attrs={"size": 100}),
        help_text="One line: who says what. The claim's address is made from it.",
    )
    claimant = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        help_text="A source already on the desk; or describe a new one below.",
    )
    new_source_name = forms.CharField(label="or a new source", max_length=200, required=False)
    new_source_kind = forms.ChoiceField(
        label="its kind", choices=Source.Kind.choices, initial=Source.Kind.OTHER
    )
    new_source_affiliation = forms.ChoiceField(
        label="its affiliation",
        choices=Source.Affiliation.choices,
        initial=Source.Affiliation.OTHER,
    )
    new_source_description = forms.CharField(
        label="who it is",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
    )
    places = forms.ModelMultipleChoiceField(queryset=Place.objects.all(), required=False)
    claimed_on = forms.DateField(
        label="Claimed on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The article's date unless changed.",
    )
    similar = forms.TypedChoiceField(
        label="Or link a claim already on the desk",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, candidate, article, similar, admin_site, **kwargs):
        proposed, organisation = candidate_services.new_source_proposed(candidate)
        initial = {
            "statement": candidate_services.statement_for(candidate),
            "claimant": candidate.source_id,
            "new_source_name": "" if candidate.source_id else proposed.name,
            "new_source_affiliation": proposed.affiliation,
            "new_source_description": proposed.description,
            "places": [p.pk for p in candidate.places.all()],
            "claimed_on": article.published_at.date() if article.published_at else None,
            "similar": "",
        }
        super().__init__(*args, initial=initial, **kwargs)
        if organisation is not None:
            affiliation = self.fields["new_source_affiliation"]
            affiliation.help_text = f"Proposed: that of {organisation.name}, named in their role."
        claim_fields = Claim._meta
        self.fields["claimant"].widget = AutocompleteSelect(
            claim_fields.get_field("claimant"), admin_site
        )
        self.fields["places"].widget = AutocompleteSelectMultiple(
            claim_fields.get_field("places"), admin_site
        )
        for name in ("claimant", "places"):
            self.fields[name].widget.choices = self.fields[name].choices
        self.similar_claims = {claim.pk: claim for claim in similar}
        self.fields["similar"].choices = [("", "No: make a new claim")] + [
            (claim.pk, f"{claim.statement} — {claim.claimant}") for claim in similar
        ]

    def clean(self):
        data = super().clean()
        if data.get("similar") is None and not data.get("claimant"):
            if not (data.get("new_source_name") or "").strip():
                raise forms.ValidationError(
                    "Who made the claim? Choose a source or name a new one."
                )
        return data

    def new_source(self):
        data = self.cleaned_data
        if data.get("claimant") or not data.get("new_source_name"):
            return None
        return candidate_services.NewSource(
            name=data["new_source_name"],
            kind=data["new_source_kind"],
            affiliation=data["new_source_affiliation"],
            description=data["new_source_description"],
        )

    def linked_claim(self):
        pk = self.cleaned_data.get("similar")
        return Claim.objects.filter(pk=pk).first() if pk else None
