"""Sentences of an article body, and the quotations in them.

Decides where one sentence ends and the next begins (pysbd, a rule-based splitter that knows
"Lt. Gen.", "U.S.", "a.m."), with each sentence's offsets in the body and its paragraph; keeps a
quotation running over several sentences ("We hold it. We will not leave," he said.) together
as one; and finds what is inside quotation marks, so that attribution is looked for only in
the words around them. No sentence is longer than SENTENCE_CHARS, so the spotter's time grows
with the text, not with its square.
"""

import re
from dataclasses import dataclass
from functools import cache

import pysbd

# The most the spotter reads as one sentence, and the most pysbd is given at once (characters).
# pysbd's time grows with the square of what it is given, and so would the spotter's with the
# length of a sentence; news sentences are rarely over 400 characters, and a quotation running
# over several sentences is joined only while it stays within this.
SENTENCE_CHARS = 1_000
# pysbd's time also grows with the square of the list items and abbreviations it is given
# ("1.", "b)", "Mr."), so a block for it also ends after this many of them.
SPLITTER_MARKS = 32
_LIST_ITEM_OR_ABBREVIATION = re.compile(r"(?<!\w)\w{1,3}[.)]")

# The marks that open and close a quotation whose words are not searched for attribution
# („…“ closes with “).
QUOTE_OPEN = '"“«„'
QUOTE_CLOSE = '"”»“'
# The marks around a quotation the desk offers as a candidate's quote.
_QUOTATION_OPENS = '"“«'
_QUOTATION_CLOSES = '"”»'


@cache
def _segmenter():
    return pysbd.Segmenter(language="en", clean=False)


@dataclass
class Sentence:
    """A sentence of a body: its text, its offsets in the body, and its paragraph's number."""

    text: str
    start: int
    end: int
    paragraph: int


def split_sentences(body):
    """The sentences of `body` with their offsets; quotations running over several
    sentences ("We hold it. We will not leave," he said.) are kept together.

    No sentence is longer than SENTENCE_CHARS: a longer stretch without a sentence end is
    cut at a space.
    """
    sentences = []
    for number, match in enumerate(re.finditer(r"[^\n]+", body)):
        pieces = [
            Sentence(body[start:end], start, end, number)
            for start, end in _sentence_spans(match.group(), match.start())
        ]
        sentences.extend(_join_open_quotes(pieces, body))
    return sentences


def _sentence_spans(paragraph, offset):
    """(start, end) in the body of each sentence of a paragraph that starts at `offset`.

    pysbd reads the paragraph a block at a time (SENTENCE_CHARS, or up to the
    SPLITTER_MARKS-th list item or abbreviation). When more follows a block, its last
    sentence may be cut short, so it is read again at the head of the next block; when that
    sentence starts in the block's first half it is too long for that, and is cut at the
    block's last space instead. Each block moves on by half its length or more, so pysbd
    reads each character at most twice.
    """
    start = 0
    while start < len(paragraph):
        block = paragraph[start : _block_end(paragraph, start)]
        spans = _pysbd_spans(block)
        if start + len(block) == len(paragraph):
            yield from ((offset + start + a, offset + start + b) for a, b in spans)
            return
        if not spans:
            start += len(block)
            continue
        last_start = spans[-1][0]
        yield from ((offset + start + a, offset + start + b) for a, b in spans[:-1])
        if last_start >= len(block) // 2:
            start += last_start
            continue
        space = block.rfind(" ", last_start + 1)
        cut = space if space > last_start else len(block)
        yield offset + start + last_start, offset + start + len(block[:cut].rstrip())
        start += cut


def _block_end(paragraph, start):
    end = min(len(paragraph), start + SENTENCE_CHARS)
    marks = _LIST_ITEM_OR_ABBREVIATION.finditer(paragraph, start, end)
    for count, mark in enumerate(marks, 1):
        if count == SPLITTER_MARKS:
            return mark.end()
    return end


def _pysbd_spans(block):
    """(start, end) of each sentence pysbd finds in `block`, without surrounding spaces."""
    spans, cursor = [], 0
    for piece in _segmenter().segment(block):
        text = piece.strip()
        if not text:
            continue
        at = block.find(text, cursor)
        if at < 0:
            continue
        cursor = at + len(text)
        spans.append((at, cursor))
    return spans


def _join_open_quotes(pieces, body):
    joined = []
    for piece in pieces:
        opens_new_quote = piece.text.startswith(tuple(QUOTE_OPEN))
        if (
            joined
            and _open_quote(joined[-1].text)
            and not opens_new_quote
            and piece.end - joined[-1].start <= SENTENCE_CHARS
        ):
            previous = joined[-1]
            joined[-1] = Sentence(
                body[previous.start : piece.end], previous.start, piece.end, previous.paragraph
            )
        else:
            joined.append(piece)
    return joined


def _open_quote(text):
    """A double quotation is still open at the end of `text`."""
    straight = text.count('"') % 2 == 1
    curly = text.count("“") > text.count("”")
    return straight or curly


def mask_quotes(text):
    """`text` with quoted words blanked out (same length), so only the frame is searched."""
    out, inside, opener = [], False, ""
    for char in text:
        if not inside and char in QUOTE_OPEN:
            inside, opener = True, char
            out.append(char)
        elif inside and (char in QUOTE_CLOSE and (char != "“" or opener == "„")):
            inside = False
            out.append(char)
        else:
            out.append(" " if inside and char != "\n" else char)
    return "".join(out)


def quotation(text):
    """The first quotation in `text` with three characters or more between its marks.

    One pass: the closing mark after an opening one is looked for once, not again from each
    of thousands of opening marks with no closing one after them.
    """
    closing = -1
    for at, char in enumerate(text):
        if char not in _QUOTATION_OPENS:
            continue
        if closing <= at:
            closing = next(
                (i for i in range(at + 1, len(text)) if text[i] in _QUOTATION_CLOSES), len(text)
            )
        if closing < len(text) and closing - at > 3:
            return text[at + 1 : closing].strip(" ,")
    return ""
