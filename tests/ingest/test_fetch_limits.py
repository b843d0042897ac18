"""Fetching a page: one deadline for the whole fetch, and a connection only to an address that
was checked (a slow server or a redirect to an internal address must not hold or steer it).

The servers here are real ones on 127.0.0.1, in threads. The address check lets the desk
reach 127.0.0.1 only where a test allows it with `ALLOW_PRIVATE_ADDRESSES` (a list of
networks); names are answered by a fake resolver (`socket.getaddrinfo` patched), and
connections to the public address it gives are recorded and refused, so nothing leaves the
machine.
"""

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.ingest.errors import IngestError
from claims.ingest.fetch import fetch_url

from .conftest import respond

PAGE = b"<html><head><title>A page</title></head><body><p>Text.</p></body></html>"
PUBLIC = "93.184.215.14"  # a public address; the tests never let a connection to it through
LOOPBACK_ONLY = ["127.0.0.1/32"]


@pytest.fixture
def connections(monkeypatch):
    """Every address the desk connects to; a connection to a public address is refused."""
    made = []
    connect = socket.socket.connect

    def recording(sock, address):
        made.append(address[:2])
        if address[0] not in ("127.0.0.1", "::1"):
            raise ConnectionRefusedError(111, "Connection refused (by the test)")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recording)
    return made


@pytest.fixture
def resolver(monkeypatch):
    """`resolver.answers[name] = [address, ...]`, one answer a lookup; the last one repeats."""
    real = socket.getaddrinfo

    class Resolver:
        answers = {}
        lookups = []

        def getaddrinfo(self, host, port, *args, **kwargs):
            if host not in self.answers:
                return real(host, port, *args, **kwargs)
            self.lookups.append(host)
            queue = self.answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            if callable(address):
                address = address()
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (
                (address, port or 0, 0, 0) if family == socket.AF_INET6 else (address, port or 0)
            )
            return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]

    fake = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


def trickle(status_line, headers, body, every=1.0):
    """A route that sends its answer a byte at a time, `every` seconds apart: the status line
    and `headers` first when `headers` is a list of lines sent whole, else byte by byte."""

    def handle(request):
        request.server.requests.append(dict(request.headers))
        head = (status_line + "\r\n" + "".join(f"{h}\r\n" for h in headers) + "\r\n").encode()
        slow = body if headers else head + body
        try:
            if headers:
                request.wfile.write(head)
                request.wfile.flush()
            for byte in slow:
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
                time.sleep(every)
        except OSError:
            pass  # the desk hung up, as it should

    return handle


# --- one deadline ---------------------------------------------------------------------------


def test_a_page_sent_a_byte_a_second_is_cut_off_at_the_deadline(web_server, settings):
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": LOOPBACK_ONLY, "FETCH_TIMEOUT": 2}
    body = b"<p>" + b"x" * 30 + b"</p>"
    web_server.routes["/slow"] = trickle(
        "HTTP/1.1 200 OK", ["Content-Type: text/html", f"Content-Length: {len(body)}"], body
    )
    started = time.monotonic()

    with pytest.raises(IngestError, match="did not arrive within 2 seconds"):
        fetch_url(web_server.url("/slow"))

    assert time.monotonic() - started < 3.5


def test_headers_sent_a_byte_a_second_are_cut_off_at_the_deadline(web_server, settings):
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": LOOPBACK_ONLY, "FETCH_TIMEOUT": 2}
    web_server.routes["/slow-head"] = trickle(
        "HTTP/1.1 200 OK", [], b"Content-Type: text/html\r\nX-Padding: " + b"y" * 30
    )
    started = time.monotonic()

    with pytest.raises(IngestError, match=r"did not answer in time \(timeout\)"):
        fetch_url(web_server.url("/slow-head"))

    assert time.monotonic() - started < 3.5


def test_a_slow_name_lookup_counts_against_the_deadline(web_server, settings, resolver):
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": LOOPBACK_ONLY, "FETCH_TIMEOUT": 1}
    web_server.routes["/page"] = respond(body=PAGE)

    def slowly():
        time.sleep(4)
        return "127.0.0.1"

    resolver.answers["slow-dns.example"] = [slowly]
    started = time.monotonic()

    with pytest.raises(IngestError):
        fetch_url(f"http://slow-dns.example:{web_server.server_port}/page")

    assert time.monotonic() - started < 2.5
    assert web_server.requests == []


def test_a_page_within_the_deadline_still_arrives_in_pieces(web_server, settings):
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": LOOPBACK_ONLY, "FETCH_TIMEOUT": 3}
    body = b"<p>" + b"z" * 6 + b"</p>"
    web_server.routes["/steady"] = trickle(
        "HTTP/1.1 200 OK",
        ["Content-Type: text/html", f"Content-Length: {len(body)}"],
        body,
        every=0.1,
    )

    assert fetch_url(web_server.url("/steady")).data == body


# --- the address that was checked -----------------------------------------------------------


def test_the_connection_goes_to_the_address_that_was_checked_not_a_second_answer(
    web_server, settings, resolver, connections
):
    settings.DESK_INGEST = {"FETCH_TIMEOUT": 2}  # nothing private allowed
    web_server.routes["/internal"] = respond(body=PAGE)  # the desk's own network
    port = web_server.server_port
    resolver.answers["rebind.example"] = [PUBLIC, "127.0.0.1"]  # public first, then loopback

    with pytest.raises(IngestError, match="could not connect to the server"):
        fetch_url(f"http://rebind.example:{port}/internal")

    assert connections == [(PUBLIC, port)]
    assert web_server.requests == []
    assert resolver.lookups == ["rebind.example"]  # looked up once


def test_every_address_of_a_name_is_checked(settings, resolver, connections, monkeypatch):
    settings.DESK_INGEST = {"FETCH_TIMEOUT": 2}
    real = resolver.getaddrinfo

    def both(host, port, *args, **kwargs):
        if host != "two.example":
            return real(host, port, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port or 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port or 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", both)

    with pytest.raises(IngestError, match="private or local network"):
        fetch_url("http://two.example/")

    assert connections == []


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a01:203",  # NAT64 of 10.1.2.3
        "64:ff9b:1::a00:1",  # local-use NAT64
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",  # IPv4-mapped cloud metadata
        "::127.0.0.1",  # IPv4-compatible (deprecated) loopback
        "2002:7f00:1::1",  # 6to4 around 127.0.0.1
        "2001:db8::1",  # documentation
        "fc00::1",  # unique local
        "fe80::1",  # link-local
        "::1",
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "169.254.169.254",  # link-local: cloud metadata services
        "192.0.0.1",  # IETF protocol assignments
        "198.18.0.1",  # benchmarking
        "240.0.0.1",  # reserved
        "224.0.0.1",  # multicast
        "ff0e::1",  # global-scope multicast
        "0.0.0.0",
    ],
)
def test_special_purpose_addresses_are_refused(settings, resolver, connections, address):
    settings.DESK_INGEST = {"FETCH_TIMEOUT": 2}
    resolver.answers["special.example"] = [address]

    with pytest.raises(IngestError, match="private or local network"):
        fetch_url("http://special.example/")

    assert connections == []


def test_a_redirect_is_resolved_and_checked_like_the_first_address(
    web_server, settings, resolver, connections
):
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": LOOPBACK_ONLY, "FETCH_TIMEOUT": 2}
    web_server.routes["/away"] = respond(302, headers={"Location": "http://intranet.example/x"})
    resolver.answers["intranet.example"] = ["10.1.2.3"]

    with pytest.raises(IngestError, match="private or local network"):
        fetch_url(web_server.url("/away"))

    assert connections == [("127.0.0.1", web_server.server_port)]


def test_allowed_private_networks_are_only_those_listed(web_server, settings, resolver):
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": ["10.0.0.0/8"], "FETCH_TIMEOUT": 2}
    web_server.routes["/page"] = respond(body=PAGE)

    with pytest.raises(IngestError, match="private or local network"):
        fetch_url(web_server.url("/page"))

    assert web_server.requests == []


# --- TLS: the host name is checked, the checked address is connected to -----------------------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A test CA and certificates it signed for news.example and other.example."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make test certificates")
    folder = tmp_path_factory.mktemp("tls")

    def run(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Claims desk test CA",
    )
    for name in ("news.example", "other.example"):
        (folder / f"{name}.ext").write_text(f"subjectAltName=DNS:{name}\n")
        run(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            f"/CN={name}",
        )
        run(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            f"{name}.pem",
            "-days",
            "2",
            "-extfile",
            f"{name}.ext",
        )
    return folder


@pytest.fixture
def tls_server(certificates):
    """An HTTPS server on 127.0.0.1 whose certificate is `tls_server.use(name)`'s."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.server.requests.append(dict(self.headers))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.requests, server.names = [], []

    def use(name):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificates / f"{name}.pem", certificates / f"{name}.key")
        context.sni_callback = lambda sock, sni, ctx: server.names.append(sni)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        server.started = True

    server.use, server.started = use, False
    yield server
    if server.started:
        server.shutdown()
    server.server_close()


def test_https_checks_the_certificate_for_the_host_name_at_the_checked_address(
    tls_server, certificates, settings, resolver, monkeypatch
):
    server = tls_server
    server.use("news.example")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": LOOPBACK_ONLY, "FETCH_TIMEOUT": 5}
    resolver.answers["news.example"] = ["127.0.0.1"]
    port = server.server_address[1]

    fetched = fetch_url(f"https://news.example:{port}/story")

    assert fetched.data == PAGE
    assert server.names == ["news.example"]  # TLS server name indication
    assert server.requests[0]["Host"] == f"news.example:{port}"


def test_https_refuses_a_certificate_for_another_name(
    tls_server, certificates, settings, resolver, monkeypatch
):
    server = tls_server
    server.use("other.example")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))
    settings.DESK_INGEST = {"ALLOW_PRIVATE_ADDRESSES": LOOPBACK_ONLY, "FETCH_TIMEOUT": 5}
    resolver.answers["news.example"] = ["127.0.0.1"]

    with pytest.raises(IngestError, match="the secure connection failed"):
        fetch_url(f"https://news.example:{server.server_address[1]}/story")

    assert server.requests == []
