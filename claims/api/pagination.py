"""Page-number pagination with a bounded page size."""

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class DeskPagination(PageNumberPagination):
    """`?page=N&page_size=M`: 20 a page unless asked, never more than 100.

    A page size above the maximum is cut to it; a page number or size that is not a positive
    whole number is a 400, and a page past the last one a 404.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.check_parameters(request)
        return super().paginate_queryset(queryset, request, view)

    def check_parameters(self, request):
        errors = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not _positive(page):
            errors[self.page_query_param] = ["A page number is a whole number from 1."]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not _positive(size):
            errors[self.page_size_query_param] = ["A page size is a whole number from 1."]
        if errors:
            raise ValidationError(errors)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Results per page: {self.page_size} unless given, at most "
                    f"{self.max_page_size} (larger values are cut to {self.max_page_size})."
                )
        return parameters


def _positive(text):
    return text.isascii() and text.isdigit() and int(text) >= 1


def number_as_read(text, most=None):
    """A page number or size as DeskPagination reads it: `01` as `1`, a size past `most` as
    `most`; anything it refuses (400) as sent. The API's reader cache keeps a read under
    this spelling (claims.api.readercache)."""
    if not _positive(text):
        return text
    return str(int(text) if most is None else min(int(text), most))


class UncountedPage(Page):
    """A page that knows whether another follows without counting them all."""

    def __init__(self, object_list, number, paginator, *, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


# PostgreSQL and SQLite take OFFSET and LIMIT as 64-bit integers: no table has a page
# starting further on, and asking for one would be a database error rather than a 404.
LARGEST_OFFSET = 2**63 - 1


class UncountedPaginator(Paginator):
    """Fetches one item more than a page to learn whether there is a next page."""

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if number * self.per_page + 1 > LARGEST_OFFSET:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        items = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not items and number > 1:
            raise EmptyPage("That page contains no results")
        return UncountedPage(
            items[: self.per_page], number, self, has_next=len(items) > self.per_page
        )


class UncountedPagination(DeskPagination):
    """DeskPagination without the total: for the ClaimReview feed, which shows no count and is
    polled often, so that no request counts every published claim (a cost that grows with the
    archive). Next and previous links work as before; a page past the last is still a 404."""

    django_paginator_class = UncountedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.check_parameters(request)
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = request.query_params.get(self.page_query_param) or 1
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            raise NotFound(f"Invalid page: {error}") from error
        return list(self.page)
