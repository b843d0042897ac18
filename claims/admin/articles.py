"""Articles in which claims appear; importing them, and turning their claims into Claims.

The import page and the candidate buttons call `claims.ingest`; this module only turns
requests into calls and outcomes into messages.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from claims import selectors
from claims.dates import PlausibleDate
from claims.errors import Conflict, DeskError, Invalid
from claims.ingest import candidates as candidate_services
from claims.ingest import importing
from claims.models import Article, Claim, Revision

from .base import change_url
from .candidates import CandidateReviewForm
from .history import VersionedAdminForm, VersionedModelAdmin


class ArticleForm(VersionedAdminForm):
    """Says which article already holds the same URL or text, instead of a database error.

    The admin builds the fields from the fieldsets.
    """

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url:
            self._refuse_duplicate(Article.objects.filter(url=url), "This URL")
        return url

    def clean_body(self):
        body = self.cleaned_data["body"]
        digest = Article.hash_of(body)
        self._refuse_duplicate(Article.objects.filter(content_hash=digest), "This text")
        return body

    def _refuse_duplicate(self, matches, what):
        duplicate = matches.exclude(pk=self.instance.pk).first()
        if duplicate:
            raise forms.ValidationError(f"{what} is already on the desk: “{duplicate}”.")


class ArticleImportForm(forms.Form):
    """Paste the text, upload a file, or give the address: one of the three."""

    text = forms.CharField(
        label="Paste the article",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text="As copied from the page: headline, byline, captions and links are cleaned up.",
    )
    file = forms.FileField(
        label="or upload a file", required=False, help_text="Plain text or a saved web page."
    )
    url = forms.CharField(
        label="or give its address",
        required=False,
        max_length=1000,
        widget=forms.URLInput(attrs={"size": 80}),
        help_text="The page is fetched and its story taken out.",
    )
    outlet = forms.CharField(
        required=False,
        max_length=200,
        help_text="A source's name or alias; new ones are added. Needed unless the text says "
        "it (“(AP) —”, “Reuters contributed”) or the page's address is a source's.",
    )
    headline = forms.CharField(
        required=False, max_length=500, help_text="Leave empty to take it from the article."
    )
    published_at = forms.DateTimeField(
        label="Published",
        required=False,
        validators=[PlausibleDate()],
        help_text="e.g. 2025-02-07 10:15; empty: from the article.",
    )
    language = forms.CharField(required=False, max_length=16, help_text="ISO 639-1, e.g. en, uk.")

    def clean(self):
        data = super().clean()
        given = [name for name in ("text", "file", "url") if data.get(name)]
        if len(given) != 1:
            raise forms.ValidationError(
                "Paste the text, upload a file or give an address — one of the three."
            )
        return data

    def import_article(self, by):
        data = self.cleaned_data
        overrides = importing.Overrides(
            outlet=data["outlet"].strip() or None,
            headline=data["headline"].strip(),
            published_at=data["published_at"],
            language=data["language"].strip(),
            require_outlet=True,
        )
        if data["text"]:
            return importing.import_pasted(data["text"], by=by, overrides=overrides)
        if data["file"]:
            return importing.import_upload(data["file"], by=by, overrides=overrides)
        return importing.import_url(data["url"], by=by, overrides=overrides)


_OUTCOME_LEVEL = {
    importing.IMPORTED: messages.SUCCESS,
    importing.SKIPPED: messages.WARNING,
    importing.FAILED: messages.ERROR,
}


@admin.register(Article)
class ArticleAdmin(VersionedModelAdmin):
    form = ArticleForm
    change_form_template = "admin/claims/article/change_form.html"
    change_list_template = "admin/claims/article/change_list.html"
    list_display = ("headline", "outlet", "published_at", "language", "imported_at")
    list_select_related = ("outlet",)
    list_filter = ("language", "outlet__affiliation", "published_at")
    search_fields = ("headline", "url", "byline", "outlet__name")
    date_hierarchy = "published_at"
    autocomplete_fields = ("outlet",)
    readonly_fields = ("content_hash", "imported_at", "imported_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("headline", "outlet", "url", "byline", "published_at", "language")}),
        ("Text", {"fields": ("body", "raw_text", "content_hash")}),
        (
            "Brought in",
            {"fields": ("imported_from", "imported_at", "imported_by", "created_at", "updated_at")},
        ),
    )

    class Media:
        css = {"all": ("desk/desk.css",)}

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="claims_article_import"),
            path(
                "<path:object_id>/candidates/spot/",
                view(self.spot_claims_view),
                name="claims_article_candidates_spot",
            ),
            path(
                "<path:object_id>/candidates/create/",
                view(self.create_claim_view),
                name="claims_article_candidate_create",
            ),
            path(
                "<path:object_id>/candidates/<int:start>-<int:end>/review/",
                view(self.review_candidate_view),
                name="claims_article_candidate_review",
            ),
            path(
                "<path:object_id>/candidates/dismiss/",
                view(self.dismiss_candidate_view),
                name="claims_article_candidate_dismiss",
            ),
            path(
                "<path:object_id>/candidates/link/",
                view(self.link_claim_view),
                name="claims_article_candidate_link",
            ),
            *super().get_urls(),
        ]

    # --- import ---------------------------------------------------------------------------

    def import_view(self, request):
        """Import one article from pasted text, an uploaded file or an address."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ArticleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            outcome = form.import_article(request.user)
            level = _OUTCOME_LEVEL[outcome.status]
            self.message_user(request, f"{outcome.item}: {outcome.message}", level)
            if outcome.article is not None:
                return HttpResponseRedirect(change_url(outcome.article, self.admin_site.name))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import article",
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/article/import.html", context)

    def save_model(self, request, obj, form, change):
        """A new text has its claims spotted as it is saved (in the same transaction)."""
        super().save_model(request, obj, form, change)
        if not change or "body" in form.changed_data:
            candidate_services.article_spot_candidates(article=obj)

    # --- candidates -----------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None and self.has_view_permission(request, article):
            extra_context = {
                **(extra_context or {}),
                "desk_candidates": self._candidate_page(request, article),
                "desk_can_make_claims": request.user.has_perm("claims.add_claim"),
                "desk_can_link_claims": request.user.has_perm("claims.add_appearance"),
                "desk_can_spot_claims": request.user.has_perm("claims.change_article"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _candidate_page(self, request, article):
        """The stored candidates, a page at a time (?candidates=2): the spotter never runs
        on a page view."""
        listing = candidate_services.article_candidate_page(
            article, page=request.GET.get("candidates") or 1
        )
        for row in listing.rows:
            row.claim_links = [(claim, change_url(claim)) for claim in row.claims]
            row.similar_links = [(claim, change_url(claim)) for claim in row.similar]
            row.review_url = reverse(
                f"{self.admin_site.name}:claims_article_candidate_review",
                args=[article.pk, row.candidate.start, row.candidate.end],
            )
            row.made_url = change_url(row.candidate.claim) if row.candidate.claim else ""
        name = self.admin_site.name
        return {
            "listing": listing,
            "create_url": reverse(f"{name}:claims_article_candidate_create", args=[article.pk]),
            "link_url": reverse(f"{name}:claims_article_candidate_link", args=[article.pk]),
            "dismiss_url": reverse(f"{name}:claims_article_candidate_dismiss", args=[article.pk]),
            "spot_url": reverse(f"{name}:claims_article_candidates_spot", args=[article.pk]),
        }

    def _candidate_request(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        try:
            start, end = int(request.POST["start"]), int(request.POST["end"])
        except (KeyError, ValueError) as error:
            raise Invalid("Which passage? Reload the page and try again.") from error
        return article, start, end

    @method_decorator(require_POST)
    def create_claim_view(self, request, object_id):
        """One click: the candidate becomes a Claim; the editor then shortens the statement."""
        back = change_url_for(self, object_id)
        try:
            article, start, end = self._candidate_request(request, object_id)
            claim, new_source = candidate_services.claim_create_from_candidate(
                article=article, start=start, end=end, by=request.user
            )
        except DeskError as error:
            return self.refuse(request, error, back)
        self.log_addition(request, claim, [{"added": {"name": "claim", "object": str(claim)}}])
        message = format_html(
            "Claim created from the article. Shorten the statement to one line and check it.{}",
            format_html(" New source “{}” added: set its kind and affiliation.", new_source.name)
            if new_source
            else "",
        )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(change_url(claim, self.admin_site.name))

    def review_candidate_view(self, request, object_id, start, end):
        """The review step: a form to correct the candidate, then create a claim of it or
        link a similar one. GET shows it; POST acts and returns to the article."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such article.")
        back = change_url_for(self, object_id)
        try:
            candidate = candidate_services.find_candidate(article, start, end)
        except DeskError as error:
            return self.refuse(request, error, back)
        similar = selectors.similar_claims(candidate.sentence)
        form = CandidateReviewForm(
            request.POST or None,
            candidate=candidate,
            article=article,
            similar=similar,
            admin_site=self.admin_site,
        )
        if request.method == "POST" and form.is_valid():
            try:
                return self._act_on_review(request, article, candidate, form, back)
            except DeskError as error:
                form.add_error(None, error.message)
        context = {
            **self.admin_site.each_context(request),
            "title": "Review a candidate claim",
            "opts": self.model._meta,
            "article": article,
            "candidate": candidate,
            "form": form,
            "media": self.media + form.media,
            "back_url": back,
            "dismiss_url": reverse(
                f"{self.admin_site.name}:claims_article_candidate_dismiss", args=[article.pk]
            ),
        }
        return TemplateResponse(request, "admin/claims/article/review_candidate.html", context)

    def _act_on_review(self, request, article, candidate, form, back):
        data = form.cleaned_data
        linked = form.linked_claim()
        if linked is not None:
            candidate_services.candidate_link_to_claim(
                article=article,
                start=candidate.start,
                end=candidate.end,
                claim=linked,
                by=request.user,
            )
            self.message_user(
                request, f"This passage is now recorded as an appearance of “{linked}”."
            )
            return HttpResponseRedirect(back)
        claim, new_source = candidate_services.claim_create_from_candidate(
            article=article,
            start=candidate.start,
            end=candidate.end,
            by=request.user,
            statement=data["statement"],
            claimant=data.get("claimant"),
            new_source=form.new_source(),
            places=data["places"],
            claimed_on=data["claimed_on"],
        )
        self.log_addition(request, claim, [{"added": {"name": "claim", "object": str(claim)}}])
        message = format_html(
            'Claim created: <a href="{}">{}</a>.{}',
            change_url(claim, self.admin_site.name),
            claim.statement,
            format_html(" New source “{}” added.", new_source.name) if new_source else "",
        )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(back)

    @method_decorator(require_POST)
    def dismiss_candidate_view(self, request, object_id):
        """Dismiss a candidate with a reason; it stays on the article, marked."""
        back = change_url_for(self, object_id)
        try:
            article, start, end = self._candidate_request(request, object_id)
            candidate_services.candidate_dismiss(
                article=article,
                start=start,
                end=end,
                by=request.user,
                reason=request.POST.get("reason", ""),
            )
        except DeskError as error:
            return self.refuse(request, error, back)
        self.message_user(request, "Candidate dismissed.", messages.SUCCESS)
        return HttpResponseRedirect(back)

    @method_decorator(require_POST)
    def link_claim_view(self, request, object_id):
        """Record that an existing (similar) claim appears in this article instead."""
        back = change_url_for(self, object_id)
        try:
            article, start, end = self._candidate_request(request, object_id)
            claim = Claim.objects.filter(pk=request.POST.get("claim")).first()
            if claim is None:
                raise Conflict("That claim is no longer on the desk.")
            linked = candidate_services.candidate_link_to_claim(
                article=article, start=start, end=end, claim=claim, by=request.user
            )
        except DeskError as error:
            return self.refuse(request, error, back)
        if isinstance(linked, Revision):
            message = format_html(
                "“{}” is published, so this appearance is kept as a pending revision until an "
                'editor publishes it: <a href="{}">review it</a>.',
                claim,
                change_url(linked, self.admin_site.name),
            )
        else:
            message = format_html("This passage is now recorded as an appearance of “{}”.", claim)
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(back)

    @method_decorator(require_POST)
    def spot_claims_view(self, request, object_id):
        """Spot the article's claims again: for an article from before candidates were
        stored, one whose text changed elsewhere, or after Sources or Places were added."""
        back = change_url_for(self, object_id)
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        try:
            found = candidate_services.article_spot_again(article=article, by=request.user)
        except DeskError as error:
            return self.refuse(request, error, back)
        count = "1 candidate claim" if len(found) == 1 else f"{len(found)} candidate claims"
        self.message_user(request, f"Claims spotted again: {count}.", messages.SUCCESS)
        return HttpResponseRedirect(back)


def change_url_for(model_admin, object_id):
    return reverse(f"{model_admin.admin_site.name}:claims_article_change", args=[object_id])
