"""Bringing articles in and spotting the claims in them.

- `text`: cleaning of copy-pasted news text (headline, byline, dates, captions, boilerplate).
- `html`: headline, byline, date, outlet and body of a saved or fetched page (trafilatura).
- `fetch`: HTTP(S) fetching with a timeout, a size limit and a clear User-Agent.
- `importing`: the import service the command and the admin call; one transaction per article.
- `spotting`: the rule-based claim spotter (sentences where someone asserts something).
- `desk`: export and import of the whole desk as JSON with natural keys.
"""
