"""The spotter's work is bounded per sentence, so its time grows with the text, not its square.

Without them, 47 kB of "The ministry said " took 30 s to spot. These tests pin the bounds that
keep the work linear (docs/ingest.md, "Limits"); the timings are in the commit messages, not
here.
"""

import re
import sys
from pathlib import Path

import pysbd.processor
import pytest

from claims.ingest import attribution, matching, sentences, spotting
from claims.ingest.attribution import find_attribution
from claims.ingest.sentences import split_sentences
from claims.ingest.spotting import Spotter

SENTENCE_CAP = 1_000  # characters, as docs/ingest.md says
SPLITTER_BLOCK = 1_000  # characters pysbd is given at once
SPLITTER_MARKS = 32  # list items and abbreviations ("1.", "b)", "Mr.") pysbd is given at once
VERBS_WEIGHED = 16  # attribution words weighed in one sentence

# Texts written to be hard for the spotter, each about 50 kB (our own words throughout).
PATHOLOGICAL = {
    "one sentence of attributions": "The ministry said " * 2_800,
    "attribution verbs with no one saying them": "said " * 10_000,
    "words without any punctuation": "troops moved along the river road at night " * 1_200,
    "thousands of quotation marks": 'He said "it held. ' + 'The ministry said "a" b, ' * 2_000,
    "many claimant names": "Viktor Trehubov, Nazar Voloshyn and Denis Pushilin said " * 900,
    "claims each followed by a note in one paragraph": (
        "The ministry said the bridge was hit. Neither claim could be verified. " * 700
    ),
    "a numbered list with no text": "1. 2. " * 8_000,
    "lettered items in brackets": "(a) (b) (c) " * 4_000,
    "commas and asides": "The governor, a former officer, who spoke late, said, " * 1_000,
}
FAMILIES = sorted(PATHOLOGICAL)


@pytest.mark.parametrize("family", FAMILIES)
def test_no_sentence_the_spotter_reads_is_longer_than_the_cap(family):
    body = PATHOLOGICAL[family]

    sentences = split_sentences(body)
    candidates = Spotter().spot(body)

    assert max(len(s.text) for s in sentences) <= SENTENCE_CAP
    assert all(len(c.sentence) <= SENTENCE_CAP for c in candidates)
    assert all(body[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize("family", FAMILIES)
def test_the_sentence_splitter_is_given_a_short_block_at_a_time(family, monkeypatch):
    given = []
    original = pysbd.processor.Processor.__init__

    def recording(self, text, *args, **kwargs):
        given.append(text)
        original(self, text, *args, **kwargs)

    monkeypatch.setattr(pysbd.processor.Processor, "__init__", recording)

    split_sentences(PATHOLOGICAL[family])

    assert given and max(len(text) for text in given) <= SPLITTER_BLOCK
    marks = [len(re.findall(r"(?<!\w)\w{1,3}[.)]", text)) for text in given]
    assert max(marks) <= SPLITTER_MARKS


def test_a_long_sentence_is_cut_into_pieces_that_keep_their_offsets():
    body = "Opening words. " + "a very long clause without a stop " * 100 + "ends here."

    sentences = split_sentences(body)

    assert sentences[0].text == "Opening words."
    assert [s.text for s in sentences[1:]] == [body[s.start : s.end] for s in sentences[1:]]
    assert "".join(s.text + " " for s in sentences).split() == body.split()
    assert all(len(s.text) <= SENTENCE_CAP for s in sentences)


def test_the_spotter_weighs_a_bounded_number_of_verbs_in_a_sentence(monkeypatch):
    weighed = []
    original = attribution._noun_phrase_before

    def counting(sentence, frame, verb_start):
        weighed.append(verb_start)
        return original(sentence, frame, verb_start)

    monkeypatch.setattr(attribution, "_noun_phrase_before", counting)
    # One sentence under the cap with 70 verbs, none with a subject that could be a claimant.
    sentence = ("it is so said " * 70).strip() + "."

    assert find_attribution(sentence) is None
    assert 0 < len(weighed) <= VERBS_WEIGHED


def test_a_real_sentence_still_finds_its_claimant_after_many_noun_uses():
    # Verbs that do not attribute (after a determiner) still count towards the bound, but a
    # sentence of news copy has nowhere near that many.
    sentence = (
        "After the claims, the reports and the denials of the past week, Russia's Defence "
        "Ministry said its forces had taken the village."
    )
    assert find_attribution(sentence) == ("Russia's Defence Ministry", "said")


def _lines_run_in_the_spotter(body):
    """How many lines of the spotter's own modules (spotting, sentences, attribution,
    matching) run while spotting `body`: a measure of its work that does not depend on the
    machine's speed."""
    sources = {
        str(Path(m.__file__).resolve()) for m in (spotting, sentences, attribution, matching)
    }
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code.co_filename in sources else None

    sys.settrace(tracer)
    try:
        Spotter().spot(body)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("family", FAMILIES)
def test_the_spotter_s_own_work_grows_linearly_with_the_text(family):
    unit = PATHOLOGICAL[family]
    small, large = unit[: len(unit) // 8], unit[: len(unit) // 2]

    ratio = _lines_run_in_the_spotter(large) / _lines_run_in_the_spotter(small)

    # Four times the text: about four times the work (sixteen if it were quadratic).
    assert ratio < 5.5, ratio


def test_the_spotter_reads_only_the_first_spot_max_chars_of_a_body(settings):
    settings.DESK_INGEST = {"SPOT_MAX_CHARS": 200}
    first = "The governor said the road to the town was open again."
    filler = "Traffic was light on the road that morning. " * 3
    late = "The ministry said its forces had crossed the river."
    body = f"{first}\n{filler}\n{late}"
    spotter = Spotter()

    candidates = spotter.spot(body)

    assert not spotter.reads_all_of(body)
    assert [c.sentence for c in candidates] == [first]


def test_an_article_longer_than_the_limit_says_so_on_import(db, settings, reporter):
    from claims.ingest.importing import Overrides, import_pasted
    from claims.models import Source

    settings.DESK_INGEST = {"SPOT_MAX_CHARS": 200}
    outlet = Source.objects.create(name="Kyiv Wire", kind=Source.Kind.NEWS_OUTLET)
    text = (
        "Bridge reopens\n\nThe governor said the bridge had reopened.\n\n"
        + "Traffic was light on the bridge that morning. " * 10
    )

    outcome = import_pasted(text, by=reporter, overrides=Overrides(outlet=outlet))

    read = outcome.article.body.rfind("\n", 0, 201)  # up to the last paragraph end
    assert 0 < read < 200
    assert outcome.message.endswith(
        f"with 1 candidate claim (claims were spotted in the first {read} characters only)"
    )
