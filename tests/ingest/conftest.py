import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from claims.models import PlaceName

from .. import factories


class CommandResult:
    def __init__(self, out, err, failed):
        self.out, self.err, self.failed = out, err, failed


@pytest.fixture
def run_command(db, request):
    """Run a management command; returns its stdout, stderr and whether it exited non-zero.

    `import_articles` runs as the reporter unless the test names a --user."""

    def run(*args, **options):
        if args and args[0] == "import_articles" and "--user" not in args:
            args = (*args, "--user", request.getfixturevalue("reporter").username)
        out, err = io.StringIO(), io.StringIO()
        failed = None
        try:
            call_command(*args, stdout=out, stderr=err, **options)
        except CommandError as error:
            failed = str(error)
        return CommandResult(out.getvalue(), err.getvalue(), failed)

    return run


@pytest.fixture
def write_file(tmp_path):
    def write(name, content):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


class _Handler(BaseHTTPRequestHandler):
    routes = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        route(self)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server(settings):
    """A local HTTP server on 127.0.0.1 in a thread; `server.routes[path] = handler(request)`.

    Yields the server; `server.url(path)` is the address of a path on it. Fetching from
    127.0.0.1 (and no other private address) is allowed while it runs: the desk refuses them
    by default.
    """
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": ["127.0.0.1/32"]}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.routes = {}
    server.requests = []
    server.url = lambda path: f"http://127.0.0.1:{server.server_port}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def respond(status=200, body=b"", content_type="text/html; charset=utf-8", headers=None):
    """A route handler answering with `status`, `body` and headers."""

    def handle(request):
        request.server.requests.append(dict(request.headers))
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handle


@pytest.fixture
def desk(db):
    """What the desk knows before an import: the ministry, and Toretsk (once Dzerzhynsk)."""
    ministry = factories.SourceFactory(name="Russian Defence Ministry")
    toretsk = factories.PlaceFactory(name="Toretsk")
    PlaceName.objects.create(place=toretsk, name="Dzerzhynsk")
    return {"ministry": ministry, "toretsk": toretsk}
