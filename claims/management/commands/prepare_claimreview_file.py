"""`manage.py prepare_claimreview_file [--site-url URL]`: build the items of the whole
ClaimReview file (/api/v1/claimreviews.jsonld) off the request path."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError
from django.http.request import validate_host
from django.test import RequestFactory

from claims.api.views.feed import file_body
from claims.management.base import DeskCommand
from claims.web.cache import keys, shared


class Command(DeskCommand):
    help = (
        "Build and keep in the shared cache every item of the whole ClaimReview file that is "
        "not kept already, so that the file is put together in seconds when asked for. A "
        "request builds items for CLAIMREVIEW_FILE_BUILD_SECONDS at most and answers 503 "
        "meanwhile; run this after a deploy and daily (docs/deploy.md). Items are kept for "
        "the address readers use: SITE_URL, or --site-url."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default="",
            help="The address readers use, e.g. https://claims.example.org (default: SITE_URL).",
        )

    def handle(self, *args, site_url, **options):
        address = urlsplit(site_url or settings.SITE_URL)
        if address.scheme not in ("http", "https") or not address.netloc:
            raise CommandError(
                "Items are kept for the address readers use: set SITE_URL or give --site-url "
                "(e.g. https://claims.example.org)."
            )
        if not validate_host(address.hostname or "", settings.ALLOWED_HOSTS):
            raise CommandError(
                f"{address.hostname} is not in ALLOWED_HOSTS: the desk answers no reader there."
            )
        request = RequestFactory().get(
            "/api/v1/claimreviews.jsonld",
            secure=address.scheme == "https",
            HTTP_HOST=address.netloc,
        )
        counts = {}
        started = time.monotonic()
        with keys.lists_only():
            body = file_body(request, shared.current_seq(), counts=counts)
        self.stdout.write(
            f"ClaimReview file: {counts.get('kept', 0)} items kept already, "
            f"{counts.get('built', 0)} built, {len(body):,} bytes, "
            f"{time.monotonic() - started:.1f} s."
        )
