"""Bringing articles in and spotting the claims in them.

- `text`: cleaning of copy-pasted news text (headline, byline, dates, captions, boilerplate).
- `html`: headline, byline, date, outlet and body of a saved or fetched page (trafilatura).
- `fetch`: HTTP(S) fetching with a timeout, a size limit and a clear User-Agent.
- `importing`: the import service the command and the admin call; one transaction per article.
- `spotting`: the rule-based claim spotter (sentences where someone asserts something), which
  reads an article in order; `sentences`, `attribution`, `claimants`, `matching` and
  `worthiness` are its rules, `lexicon` their word lists, `candidates` stores what it finds.
- `desk`: export and import of the whole desk as JSON with natural keys.
"""
