"""The filters, ordering and search each list offers.

Filters never widen what a user may see: they narrow the queryset the view already limited
(readers get `claims.selectors`' querysets). Filters that look at related material ("has
evidence", "cited by an explainer", "by this source") look only at related material the same
user may see, so a filter result never reveals a draft or a confidential source.

A request with a query parameter the list does not know, or an ordering it does not offer,
is a 400 that names it, rather than a silently unfiltered list.
"""

import datetime

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter

from claims import selectors
from claims.dates import PlausibleDate, out_of_range_message
from claims.models import (
    Article,
    Claim,
    Correction,
    Evidence,
    Explainer,
    ExplainerClaim,
    Place,
    Revision,
    Source,
    Verification,
)
from claims.services import teamwork
from claims.verdicts import Verdict
from claims.web import search as site_search

from .permissions import sees_desk_material

MAX_ID = 2**63 - 1
NOT_ASSESSED = "none"


# --- filter types ------------------------------------------------------------------------


# A date to filter by lies where the desk's dates lie (claims/dates.py), up to the latest an
# explainer may be scheduled for; one outside is refused with the range, not matched.
IN_THE_DESKS_RANGE = [PlausibleDate(scheduled=True)]


class SafeDateTimeField(forms.DateTimeField):
    """A date-time (or a date, meaning its midnight in the newsroom's time zone) in the
    desk's range, in UTC for the database."""

    default_validators = IN_THE_DESKS_RANGE

    def to_python(self, value):
        result = super().to_python(value)
        if result is None:
            return None
        try:
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
            return result.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(out_of_range_message(scheduled=True)) from error


class PlausibleDateField(forms.DateField):
    default_validators = IN_THE_DESKS_RANGE


class DateFilter(filters.DateFilter):
    """A date (2025-02-07) in the desk's range."""

    field_class = PlausibleDateField


class SinceFilter(filters.Filter):
    """On or after a date-time (ISO 8601, 2025-02-01T06:00:00Z) or a date (2025-02-01, from
    midnight in the newsroom's time zone)."""

    field_class = SafeDateTimeField
    default_lookup = "gte"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", self.default_lookup)
        super().__init__(*args, **kwargs)
        description = f"{self.extra.get('help_text', '')} A date-time (ISO 8601) or a date."
        schema = {"type": "string", "format": "date-time", "description": description.strip()}
        extend_schema_field(schema)(self)


class UntilFilter(SinceFilter):
    """On or before a date-time or a date."""

    default_lookup = "lte"


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error rather than "no filter"."""

    TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Enter true or false.")


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = forms.TextInput  # not django-filter's, which reads "perhaps" as unset
        super().__init__(*args, **kwargs)


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(filters.Filter):
    """An object id: a whole number from 1."""

    field_class = IdField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        if self.extra.get("help_text"):
            schema["description"] = self.extra["help_text"]
        extend_schema_field(schema)(self)


def _desk(filterset, model):
    return sees_desk_material(getattr(filterset.request, "user", None), model)


def _visible_sources(filterset):
    """Sources a user may filter by: all for the desk, named ones for readers."""
    if _desk(filterset, Source):
        return Source.objects.all()
    return Source.objects.filter(is_confidential=False)


class VisibleSourceFilter(IdFilter):
    """A source id, matched among the sources the user may filter by only: a reader who names
    a confidential source finds nothing, as for one that does not exist."""

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        sources = _visible_sources(self.parent).filter(pk=value)
        return queryset.filter(**{f"{self.field_name}__in": sources})


def _places_called(name):
    """Places with this name, alternative name or slug (any case)."""
    return Place.objects.filter(
        Q(name__iexact=name) | Q(alternative_names__name__iexact=name) | Q(slug__iexact=name)
    ).values("pk")


# --- one FilterSet per list --------------------------------------------------------------


class SourceFilterSet(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=Source.Kind.choices, help_text="Kind of source.")
    affiliation = filters.MultipleChoiceFilter(
        choices=Source.Affiliation.choices, help_text="Affiliation (Russian state, …)."
    )
    name = filters.CharFilter(
        method="filter_name",
        max_length=200,
        help_text="Part of the source's name or of one of its aliases (any case).",
    )

    class Meta:
        model = Source
        fields = ("kind", "affiliation", "name")

    def filter_name(self, queryset, name, value):
        value = value.strip()
        matching = Source.objects.filter(
            Q(name__icontains=value) | Q(aliases__name__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=matching)


class PlaceFilterSet(filters.FilterSet):
    name = filters.CharFilter(
        method="filter_name",
        max_length=200,
        help_text="The place's name, any of its alternative names (Dzerzhynsk finds Toretsk) "
        "or its slug; whole name, any case.",
    )
    region = filters.CharFilter(lookup_expr="iexact", max_length=200, help_text="Region.")
    kind = filters.MultipleChoiceFilter(choices=Place.Kind.choices, help_text="Kind of place.")

    class Meta:
        model = Place
        fields = ("name", "region", "kind")

    def filter_name(self, queryset, name, value):
        return queryset.filter(pk__in=_places_called(value.strip()))


class ArticleFilterSet(filters.FilterSet):
    outlet = VisibleSourceFilter(help_text="The outlet (source id).")
    published_since = SinceFilter(field_name="published_at", help_text="Published on or after.")
    published_until = UntilFilter(field_name="published_at", help_text="Published on or before.")
    language = filters.CharFilter(lookup_expr="iexact", max_length=16, help_text="ISO 639-1 code.")

    class Meta:
        model = Article
        fields = ("outlet", "published_since", "published_until", "language")


class AssignedToFilterMixin(filters.FilterSet):
    assigned_to = filters.CharFilter(
        method="filter_assigned_to",
        max_length=20,
        help_text='Desk staff only: assigned to this user id, "me", "overdue" or "none".',
    )

    def filter_assigned_to(self, queryset, name, value):
        request = self.request
        if not sees_desk_material(getattr(request, "user", None), queryset.model):
            raise ValidationError({"assigned_to": "Assignments are for desk staff only."})
        found = teamwork.assigned(queryset, value, user=request.user)
        if found is not None:
            return found
        raise ValidationError({"assigned_to": 'A user id, "me", "overdue" or "none".'})


class ClaimFilterSet(AssignedToFilterMixin, filters.FilterSet):
    verdict = filters.MultipleChoiceFilter(
        choices=[*Verdict.choices, (NOT_ASSESSED, "Not yet assessed")],
        method="filter_verdict",
        help_text=f'Current verdict; repeat for any of several. "{NOT_ASSESSED}": not yet '
        "assessed.",
    )
    claimant = VisibleSourceFilter(help_text="Who made the claim (source id).")
    claimant_affiliation = filters.MultipleChoiceFilter(
        field_name="claimant__affiliation",
        choices=Source.Affiliation.choices,
        help_text="Affiliation of the claimant.",
    )
    place = filters.CharFilter(
        method="filter_place",
        max_length=200,
        help_text="A place the claim is about, by any of its names or its slug "
        '("Toretsk", "Dzerzhynsk", "toretsk").',
    )
    claimed_from = DateFilter(
        field_name="claimed_on", lookup_expr="gte", help_text="Claimed on or after (date)."
    )
    claimed_to = DateFilter(
        field_name="claimed_on", lookup_expr="lte", help_text="Claimed on or before (date)."
    )
    has_evidence = BooleanFilter(
        method="filter_has_evidence", help_text="Has (published) evidence, or has none."
    )
    explainer = IdFilter(
        method="filter_explainer", help_text="Cited by this explainer (explainer id)."
    )
    verdict_changed_since = SinceFilter(
        field_name="current_verdict_as_of",
        help_text="The current verdict was given on or after this time.",
    )
    updated_since = SinceFilter(field_name="updated_at", help_text="Changed on or after.")

    class Meta:
        model = Claim
        fields = (
            "verdict",
            "claimant",
            "claimant_affiliation",
            "place",
            "claimed_from",
            "claimed_to",
            "has_evidence",
            "explainer",
            "verdict_changed_since",
            "updated_since",
        )

    def filter_verdict(self, queryset, name, values):
        if not values:
            return queryset
        verdicts = ["" if value == NOT_ASSESSED else value for value in values]
        return queryset.filter(current_verdict__in=verdicts)

    def filter_place(self, queryset, name, value):
        # The place's id first, as a value: PostgreSQL then knows how many claims are about
        # it and starts from them, instead of walking every claim with the asked verdict.
        places = list(_places_called(value.strip()).values_list("pk", flat=True))
        about = Claim.places.through.objects.filter(place__in=places)
        return queryset.filter(pk__in=about.values("claim"))

    def filter_has_evidence(self, queryset, name, value):
        evidence = (
            Evidence.objects.all() if _desk(self, Evidence) else (selectors.evidence_for_readers())
        )
        with_evidence = Q(pk__in=evidence.values("claim"))
        return queryset.filter(with_evidence if value else ~with_evidence)

    def filter_explainer(self, queryset, name, value):
        explainers = (
            Explainer.objects.all()
            if _desk(self, Explainer)
            else (selectors.explainers_for_readers())
        )
        entries = ExplainerClaim.objects.filter(
            explainer__in=explainers.filter(pk=value).values("pk")
        )
        return queryset.filter(pk__in=entries.values("claim"))


class VerificationFilterSet(AssignedToFilterMixin, filters.FilterSet):
    verdict = filters.MultipleChoiceFilter(
        choices=Verdict.choices, help_text="Verdict; repeat for any of several."
    )
    status = filters.MultipleChoiceFilter(
        choices=Verification.Status.choices,
        help_text="Workflow status (readers see published verifications only).",
    )
    claim = IdFilter(field_name="claim", help_text="The claim assessed (claim id).")
    published_since = SinceFilter(field_name="published_at", help_text="Published on or after.")
    published_until = UntilFilter(field_name="published_at", help_text="Published on or before.")
    updated_since = SinceFilter(field_name="updated_at", help_text="Changed on or after.")

    class Meta:
        model = Verification
        fields = (
            "verdict",
            "status",
            "claim",
            "published_since",
            "published_until",
            "updated_since",
        )


class EvidenceFilterSet(filters.FilterSet):
    claim = IdFilter(field_name="claim", help_text="The claim it is about (claim id).")
    kind = filters.MultipleChoiceFilter(
        choices=Evidence.Kind.choices, help_text="Kind of evidence."
    )
    source = VisibleSourceFilter(help_text="Its source (source id).")
    captured_since = SinceFilter(field_name="captured_at", help_text="Captured on or after.")
    captured_until = UntilFilter(field_name="captured_at", help_text="Captured on or before.")

    class Meta:
        model = Evidence
        fields = ("claim", "kind", "source", "captured_since", "captured_until")


class ExplainerFilterSet(filters.FilterSet):
    place = filters.CharFilter(
        method="filter_place",
        max_length=200,
        help_text="A place the explainer is about, by any of its names or its slug.",
    )
    status = filters.MultipleChoiceFilter(
        choices=Explainer.Status.choices,
        help_text="Workflow status (readers see live explainers only).",
    )
    published_since = SinceFilter(
        field_name="publish_at", help_text="(Last) published on or after."
    )
    updated_since = SinceFilter(
        method="filter_updated_since",
        help_text="Published, updated or corrected on or after.",
    )

    class Meta:
        model = Explainer
        fields = ("place", "status", "published_since", "updated_since")

    def filter_place(self, queryset, name, value):
        about = Explainer.places.through.objects.filter(place__in=_places_called(value.strip()))
        return queryset.filter(pk__in=about.values("explainer"))

    def filter_updated_since(self, queryset, name, value):
        return queryset.filter(Q(last_substantive_update__gte=value) | Q(publish_at__gte=value))


class CorrectionFilterSet(filters.FilterSet):
    explainer = IdFilter(field_name="explainer", help_text="The explainer (explainer id).")
    claim = IdFilter(field_name="claim", help_text="The claim (claim id).")
    kind = filters.MultipleChoiceFilter(
        choices=Correction.Kind.choices, help_text="Correction, clarification or update."
    )
    published_since = SinceFilter(field_name="published_at", help_text="Published on or after.")

    class Meta:
        model = Correction
        fields = ("explainer", "claim", "kind", "published_since")


class RevisionFilterSet(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=Revision.Status.choices,
        help_text="Pending (awaiting review), published, discarded.",
    )
    claim = IdFilter(field_name="claim", help_text="Revisions of this claim (claim id).")
    explainer = IdFilter(field_name="explainer", help_text="Revisions of this explainer (id).")

    class Meta:
        model = Revision
        fields = ("status", "claim", "explainer")


# --- ordering, search, unknown parameters --------------------------------------------------


class StableOrderingFilter(OrderingFilter):
    """`?ordering=field,-other`: only the view's `ordering_fields`, always ending with the id
    so that pages never overlap or skip; an ordering the list does not offer is a 400."""

    @staticmethod
    def fields_sent(params):
        """The fields of `?ordering=` as sent: stripped, blanks left out."""
        return [param.strip() for param in params.split(",") if param.strip()]

    @classmethod
    def as_read(cls, params):
        """`?ordering=` written as it orders: each field once, the first time it comes (a
        later one orders nothing); as sent when it names none (a 400). The API's reader
        cache keeps a read under this spelling (claims.api.readercache)."""
        fields = {}
        for field in cls.fields_sent(params):
            fields.setdefault(field.removeprefix("-"), field)
        return ",".join(fields.values()) or params

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params and getattr(request, "ranked_by_search", False):
            return None  # keep the search's best-first order
        if params:
            fields = self.fields_sent(params)
            allowed = {
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            }
            # One `-` (descending) before a field, no more: `--id` is no field.
            unknown = [f for f in fields if f.removeprefix("-") not in allowed]
            if unknown or not fields:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Order by any of: {', '.join(sorted(allowed))} (prefix - for "
                            "descending)."
                        ]
                    }
                )
            ordering = fields
        else:
            ordering = list(self.get_default_ordering(view) or [])
        if not any(f.lstrip("-") in ("id", "pk") for f in ordering):
            ordering.append("-id")
        return ordering

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = sorted(name for name in view.ordering_fields)
        for parameter in parameters:
            parameter["description"] = (
                f"Order by one or more of: {', '.join(fields)}; prefix - for descending, "
                f"separate with commas. Default: {', '.join(view.ordering)}."
            )
        return parameters


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, which leaves a list asked for with none of its filters as
    the view gave it: every filter here returns the queryset unchanged for a value not given,
    so the filterset would change nothing, and building it (a deep copy of each filter, a
    form class made anew) was a tenth of the ClaimReview feed's render."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and request.query_params.keys().isdisjoint(
            filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class SiteSearchFilter(BaseFilterBackend):
    """`?search=words`: the reader site's search (full text on PostgreSQL, every word on
    SQLite; names, typos forgiven, on both), best matches first unless an ordering is asked
    for.

    It covers what readers may see, as the site's search does, at most `LIMIT` matches.
    """

    search_param = "search"
    LIMIT = 200

    def filter_queryset(self, request, queryset, view):
        kind = getattr(view, "search_kind", None)
        raw = request.query_params.get(self.search_param)
        if kind is None or raw is None:
            return queryset
        results = site_search.search(raw, limit=self.LIMIT)
        if not results.query:
            return queryset
        ranked = [hit.obj.pk for hit in getattr(results, kind)]
        queryset = queryset.filter(pk__in=ranked)
        if request.query_params.get("ordering") or not ranked:
            return queryset
        request.ranked_by_search = True
        rank = Case(
            *(When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked)),
            output_field=IntegerField(),
        )
        return queryset.order_by(rank, "-id")

    def get_schema_operation_parameters(self, view):
        if getattr(view, "search_kind", None) is None:
            return []
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": "Words to search for, as on the reader site's search page "
                f"(published material only, at most {self.LIMIT} best matches).",
                "schema": {"type": "string"},
            }
        ]


# Query parameters every list understands besides its filters.
COMMON_PARAMETERS = frozenset({"page", "page_size", "ordering", "format"})


# What an object's own address understands besides the filters (which apply to it too: a
# claim that does not pass them is not found).
DETAIL_PARAMETERS = frozenset({"format"})


def check_query_parameters(request, view, *, detail=False):
    """Refuse a request naming a parameter the list (or, with `detail`, the object's
    address) does not know (400, naming it). An object's address takes no page or order: a
    read with a parameter nothing reads would otherwise be rendered and kept anew for each
    spelling, in the reader cache and in a front cache."""
    known = set(DETAIL_PARAMETERS if detail else COMMON_PARAMETERS)
    if getattr(view, "search_kind", None):
        known.add("search")
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        known |= set(filterset_class.base_filters)
    unknown = sorted(set(request.query_params) - known)
    what = "address" if detail else "list"
    if unknown:
        raise ValidationError(
            {
                name: [f"Unknown parameter. This {what} accepts: {', '.join(sorted(known))}."]
                for name in unknown
            }
        )
