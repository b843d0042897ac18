"""`<time datetime>` attributes as HTML allows them: no microseconds, whole-minute offsets
(the Nu HTML checker refuses `2025-02-08T09:00:00.123456+00:00`)."""

import re

import pytest

pytestmark = pytest.mark.django_db

# HTML's valid global date and time string, as the desk writes it: UTC, to the second.
VALID = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")


def datetimes(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.findall(r'<time datetime="([^"]*)"', response.content.decode())


def test_every_time_on_the_reader_pages_is_a_valid_html_datetime(client, desk):
    from claims.models import StandingPage

    urls = [
        "/",
        "/explainers/",
        desk.capture.get_absolute_url(),
        desk.explainer.get_absolute_url(),
    ]
    urls += [f"/about/{page.kind}/" for page in StandingPage.objects.exclude(kind="methodology")]
    seen = []
    for url in urls:
        seen += datetimes(client, url)
    assert seen, "the pages show times"
    assert [value for value in seen if not VALID.match(value)] == []
