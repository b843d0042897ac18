"""Small helpers that turn desk data into what a reader is shown.

Everything here works on objects already loaded by `claims.selectors`; nothing queries.
"""

from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from typing import NamedTuple

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from claims.verdicts import NOT_YET_ASSESSED, verdict_info


def local_date(value):
    """A date or datetime as the newsroom writes it ("7 February 2025"), in its time zone."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value)
    return _formatted_day(_day(value), "j F Y", get_language())


def short_date(value):
    """ "7 Feb" (with the year when it is not this year's), in the newsroom's time zone."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    today = timezone.localdate()
    fmt = "j M" if value.year == today.year else "j M Y"
    return _formatted_day(_day(value), fmt, get_language())


def _day(value):
    return value.date() if isinstance(value, datetime) else value


@lru_cache(maxsize=4096)
def _formatted_day(day, fmt, language):
    """`day` in `fmt` (day, month and year only) in `language`, the active language.

    A page of 50 claims writes a few hundred dates, most of them the same few days, and
    Django's date formatting (format lookup, translated month names) is the costly part; the
    result depends only on the arguments, so each worker keeps it.
    """
    return date_format(day, fmt)


def attribution(verification):
    """The line shown with a published verdict, from the verdict scale's wording."""
    info = verdict_info(verification.verdict)
    return info.attribution.format(
        claimant=verification.claim.claimant.public_name,
        date=local_date(verification.published_at),
    )


def verdict_history(claim):
    """ "Unconfirmed on 7 Feb → Disputed on 8 Feb" from the claim's published verifications."""
    steps = [
        f"{verdict_info(v.verdict).label} on {short_date(v.published_at)}"
        for v in claim.published_verifications
    ]
    return " → ".join(steps) if steps else NOT_YET_ASSESSED


@dataclass
class SourceCitation:
    """A source as cited on a page: its public name, and its page's address when it has one."""

    name: str
    path: str | None
    roles: list


class AppearanceShown(NamedTuple):
    """An appearance of a claim as its card shows it: plain values, so that an explainer can
    keep it with what is around the claim (site/views.py `ClaimAround`)."""

    headline: str
    url: str  # the article's address as the desk has it ("" when none)
    outlet: str  # its outlet's public name ("" when none)


def appearances_shown(claim):
    """`AppearanceShown` for each of `claim`'s appearances (loaded with article and outlet),
    in their order."""
    return tuple(
        AppearanceShown(
            a.article.headline,
            a.article.url,
            a.article.outlet.public_name if a.article.outlet else "",
        )
        for a in claim.appearances.all()
    )


def _cited(source, role):
    return (source.pk, source.public_name, source.get_absolute_url(), role)


def outlets_cited(claim):
    """The `citations` of the outlets where `claim` appeared (its appearances loaded with
    article and outlet)."""
    return tuple(
        _cited(a.article.outlet, "publisher") for a in claim.appearances.all() if a.article.outlet
    )


def citations(claim, outlets):
    """What `claim` cites, in the order it is shown: (source id, public name, page address or
    None for a confidential source, role) for its claimant, the outlets where it appeared
    (`outlets`, from `outlets_cited`) and its evidence's sources. Plain values, so that an
    explainer can keep them with the claim's card (`sources_cited`)."""
    evidence = (
        _cited(item.source, "evidence")
        for verification in claim.published_verifications
        for item in verification.reader_evidence
        if item.source is not None
    )
    return (_cited(claim.claimant, "claimant"), *outlets, *evidence)


def sources_cited(citations_of_claims):
    """Every source behind some claims, from each claim's `citations`: claimants, outlets
    where they appeared, evidence sources, each once with every role it has, by name.

    Confidential sources are listed by their redacted description only, without a link.
    """
    cited = {}
    for claim_citations in citations_of_claims:
        for pk, name, path, role in claim_citations:
            entry = cited.setdefault(pk, SourceCitation(name=name, path=path, roles=[]))
            if role not in entry.roles:
                entry.roles.append(role)
    return sorted(cited.values(), key=lambda c: c.name.lower())


def linked_claims(claim, relation):
    """Visible claims linked to `claim` by `relation` ("disputes" or "supports"), either way."""
    found = [link.to_claim for link in claim.reader_links_out if link.relation == relation]
    found += [link.from_claim for link in claim.reader_links_in if link.relation == relation]
    seen, unique = set(), []
    for other in found:
        if other.pk not in seen:
            seen.add(other.pk)
            unique.append(other)
    return unique


def disputed(claim):
    """The ids of the visible claims `claim` disputes (its `reader_links_out`)."""
    return tuple(link.to_claim_id for link in claim.reader_links_out if link.relation == "disputes")


def disputing_pairs(claim_ids, disputed_by_claim):
    """Pairs of the ids `claim_ids` whose claims dispute each other, each pair once, in the
    editor's order; `disputed_by_claim[i]` is what claim `claim_ids[i]` disputes (`disputed`)."""
    position = {pk: i for i, pk in enumerate(claim_ids)}
    pairs = set()
    for pk, targets in zip(claim_ids, disputed_by_claim, strict=True):
        for target in targets:
            if target in position:
                pairs.add(tuple(sorted((pk, target), key=position.get)))
    return sorted(pairs, key=lambda pair: (position[pair[0]], position[pair[1]]))


@dataclass(frozen=True)
class TimelineEvent:
    when: object  # date (a claim made) or aware datetime (a verdict published)
    kind: str  # "claim" or "verdict"
    pk: int  # the claim's or the verification's

    @property
    def sort_key(self):
        when = self.when
        if hasattr(when, "hour"):
            return timezone.localtime(when).replace(tzinfo=None)
        return datetime.combine(when, time.min)


def timeline(claims, verdicts, limit=40):
    """Claims made and verdicts published, merged in time order (oldest first), at most
    `limit` of the most recent events; `claims` and `verdicts` are (id, date) pairs
    (`selectors.timeline_claims_for_places`, `timeline_verdicts_for_places`)."""
    events = [TimelineEvent(when, "claim", pk) for pk, when in claims]
    events += [TimelineEvent(when, "verdict", pk) for pk, when in verdicts]
    events.sort(key=lambda e: e.sort_key)
    return events[-limit:] if limit else []
