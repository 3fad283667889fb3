"""Request guards that belong to no single app."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.views.defaults import bad_request


def _has_nul(querydict) -> bool:
    return any("\x00" in value for values in querydict.lists() for value in values[1] if isinstance(value, str))


class RejectNulMiddleware:
    """A NUL character in a query parameter answers 400 before any view runs. (Form fields are the
    forms' business: Django's fields refuse NUL with a message beside the field.)

    No legitimate input carries one, and PostgreSQL refuses it in a string literal (psycopg2 raises
    ValueError), so without this guard a hostile ``?q=%00`` on any search box would be a 500 on
    PostgreSQL while SQLite silently accepts it (issue 9, bad input)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET):
            return bad_request(request, BadRequest("NUL in request parameters"), template_name="400.html")
        return self.get_response(request)
