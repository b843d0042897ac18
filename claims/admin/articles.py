"""Articles in which claims appear."""

from django import forms
from django.contrib import admin

from claims.models import Article

from .base import DeskModelAdmin


class ArticleForm(forms.ModelForm):
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


@admin.register(Article)
class ArticleAdmin(DeskModelAdmin):
    form = ArticleForm
    list_display = ("headline", "outlet", "published_at", "language", "imported_at")
    list_select_related = ("outlet",)
    list_filter = ("language", "outlet__affiliation", "published_at")
    search_fields = ("headline", "url", "byline", "outlet__name")
    date_hierarchy = "published_at"
    autocomplete_fields = ("outlet",)
    readonly_fields = ("content_hash", "imported_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("headline", "outlet", "url", "byline", "published_at", "language")}),
        ("Text", {"fields": ("body", "raw_text", "content_hash")}),
        (
            "Brought in",
            {"fields": ("imported_from", "imported_at", "imported_by", "created_at", "updated_at")},
        ),
    )
