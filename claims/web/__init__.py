"""What the reader site and the API both use: links, JSON-LD, Markdown, search, client
addresses and rate limits, and the reader cache (cache/: version, store, conditional requests,
the view decorator). The faces depend on it; it depends on no face."""
