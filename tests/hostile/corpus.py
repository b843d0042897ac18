"""Hostile input an editor (or an intruder with an editor's password) might type.

Each script-bearing payload, if it ever ran in a browser, would set `window.__pwned` and the
page title to "PWNED"; tests/browser/test_hostile_input.py looks for exactly that.
"""

PWNED = "PWNED"
_RUN = "window.__pwned=1;document.title='PWNED'"

PAYLOADS = {
    "script tag": f"<script>{_RUN}</script>",
    "closing script inside text": f"</script><script>{_RUN}</script><!--",
    "event handler attributes": (
        f'<img src=x onerror="{_RUN}"><svg/onload="{_RUN}"><b onmouseover="{_RUN}">b</b>'
    ),
    "attribute breakout": f'" onmouseover="{_RUN}" autofocus onfocus="{_RUN}" x=\'',
    "javascript: links": (
        f'[click](javascript:{_RUN}) <a href="javascript:{_RUN}">x</a> '
        f"[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
        f"<jAvAsCrIpT:{_RUN}>"
    ),
    "broken markdown": (
        '**unclosed _emphasis [link](http://example.org "title\n\n# heading ### \n'
        f"```\nunterminated fence <script>{_RUN}</script>\n> > > quote\n|a|b|\n|-|\n"
        f"[ref]: javascript:{_RUN}\n[x][ref] <!-- comment"
    ),
    "JSON-breaking quotes": f'"}}]}}\'\\"; {_RUN}; //\\u2028\u2028\u2029 \\\\',
    "control characters": "tab\there\x01\x02\x07\x08\x0b\x0c\x1b[31mred\x7f\x1f end",
    "right-to-left override": "price: \u202e3.exe\u202c \u2066isolate\u2069 "
    "\u200f\u200e\u200b\ufeff",
    "emoji": "🇺🇦 💥 👨‍👩‍👧 🔥🛰️ text",
    "Cyrillic": "Торецьк (Дзержинськ): «ЗСУ утримують позиції» — Міноборони РФ",
    "HTML entities": "&lt;script&gt; &amp;amp; &#x3C;script&#x3E; &#0; &nbsp;",
    "huge text": "Toretsk " * 12_500,  # 100,000 characters
}

# Characters XML 1.0 cannot carry at all (feeds drop them; everything else keeps them).
XML_INVALID = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}


def xml_safe(text):
    return "".join(ch for ch in text if ch not in XML_INVALID)
