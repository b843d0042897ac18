"""Page-number pagination with a bounded page size."""

from rest_framework.exceptions import ValidationError
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
        errors = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not _positive(page):
            errors[self.page_query_param] = ["A page number is a whole number from 1."]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not _positive(size):
            errors[self.page_size_query_param] = ["A page size is a whole number from 1."]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

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
