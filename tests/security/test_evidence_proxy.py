"""The front server of docs/deploy.md, run for real: nginx with the server block the document
gives (its listen address, media folder and upstream put to this test's), in front of the
live server with EVIDENCE_FILES_ACCEL_REDIRECT set as production sets it.

Readers get published evidence files through it with the headers that keep a browser from
running them (which nginx drops from an X-Accel-Redirect response unless the block adds them
again); hidden files, the internal location and the old /media/ address give nothing.

Needs nginx (`apt-get install nginx-light`); without it the test skips, or fails when
REQUIRE_NGINX=1 (as .ci/run sets).
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.site.files import FILE_CONTENT_SECURITY_POLICY

from .. import evidence_files, factories
from ..network import free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
INTERNAL = "/protected-evidence/"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def deploy_server_block():
    """The first `server { … }` block of the nginx configuration in docs/deploy.md."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    config = re.search(r"```nginx\n(.*?)```", text, re.S).group(1)
    start = config.index("server {")
    depth = 0
    for position in range(start, len(config)):
        depth += {"{": 1, "}": -1}.get(config[position], 0)
        if depth == 0 and config[position] == "}":
            return config[start : position + 1]
    raise AssertionError("docs/deploy.md: the nginx server block is not closed")


@pytest.fixture
def nginx(live_server, settings, tmp_path):
    """nginx on a free port, configured as docs/deploy.md says; yields its port."""
    if not os.access(NGINX, os.X_OK):
        message = "needs nginx (apt-get install nginx-light)"
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail(f"{message}; REQUIRE_NGINX=1 says this test must run", pytrace=False)
        pytest.skip(message)
    settings.EVIDENCE_FILES_ACCEL_REDIRECT = INTERNAL
    block = deploy_server_block()
    assert f"location {INTERNAL}" in block, "docs/deploy.md: no internal evidence location"
    # The media folder appears once, in the internal location. (Whether /media/ reaches a
    # file is not asked of this server: Django's live server serves MEDIA_URL itself, as
    # gunicorn does not; tests/site/test_evidence_files.py asks it of the app.)
    assert block.count("/srv/desk/media") == 1, "docs/deploy.md serves the media folder"
    internal = block[block.index(f"location {INTERNAL}") :]
    assert "internal;" in internal[: internal.index("}")]
    port = free_port()
    block = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{port};", block)
    block = block.replace("alias /srv/desk/media/;", f"alias {settings.MEDIA_ROOT}/;")
    block = block.replace("http://127.0.0.1:8000", live_server.url)
    run = tmp_path / "nginx"
    run.mkdir()
    (run / "nginx.conf").write_text(
        "daemon off;\n"
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {run}/nginx.pid;\nerror_log {run}/error.log;\nevents {{}}\nhttp {{\n"
        + f"  access_log off;\n  client_body_temp_path {run}/body;\n"
        + f"  proxy_temp_path {run}/proxy;\n"
        + "".join(f"  {kind}_temp_path {run}/{kind};\n" for kind in ("fastcgi", "uwsgi", "scgi"))
        + block
        + "\n}\n"
    )
    server = subprocess.Popen(  # noqa: S603 # nginx, with the config written just above
        [NGINX, "-p", str(run), "-c", str(run / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode() if server.poll() is not None else ""
                    raise AssertionError(f"nginx did not start: {output}") from None
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(port, path, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@pytest.fixture
def files(claim, publish_verification):
    published = factories.EvidenceFactory(
        claim=claim, file=SimpleUploadedFile("front-line.png", evidence_files.png())
    )
    transcript = factories.EvidenceFactory(
        claim=claim, file=SimpleUploadedFile("call.txt", b"What the officer told us.")
    )
    publish_verification(claim, evidence=[published, transcript])
    hidden = factories.EvidenceFactory(
        claim=claim, file=SimpleUploadedFile("unchecked.txt", b"Not checked yet.")
    )
    return published, transcript, hidden


def test_readers_get_published_files_from_the_front_server_with_the_safe_headers(nginx, files):
    published, transcript, _ = files

    response, body = get(nginx, published.file.url)
    assert response.status == 200
    assert body == evidence_files.png()
    assert response.getheader("Content-Type") == "image/png"
    assert response.getheader("Content-Disposition") == 'inline; filename="front-line.png"'
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Security-Policy") == FILE_CONTENT_SECURITY_POLICY
    assert response.getheader("X-Accel-Redirect") is None

    response, body = get(nginx, transcript.file.url)
    assert response.status == 200
    assert body == b"What the officer told us."
    assert response.getheader("Content-Type") == "text/plain; charset=utf-8"
    assert response.getheader("Content-Disposition") == 'attachment; filename="call.txt"'
    assert response.getheader("Content-Security-Policy") == FILE_CONTENT_SECURITY_POLICY


def test_nothing_reaches_a_hidden_file_past_the_app(nginx, files, client, editor):
    published, _, hidden = files
    assert get(nginx, hidden.file.url)[0].status == 404
    assert get(nginx, INTERNAL + hidden.file.name)[0].status == 404  # internal only
    assert get(nginx, INTERNAL + published.file.name)[0].status == 404

    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    response, body = get(nginx, hidden.file.url, cookie=cookie)
    assert response.status == 200
    assert body == b"Not checked yet."
    assert "no-store" in response.getheader("Cache-Control")
    assert response.getheader("Content-Security-Policy") == FILE_CONTENT_SECURITY_POLICY
