"""The benchmark's baseline: the smallest Django application that answers a page.

One view that touches nothing, behind only Django's SecurityMiddleware and CommonMiddleware,
served by the same gunicorn with the same gunicorn.conf.py and worker count as the desk
(claims/devtools/bench/run.py starts it on its own port). What a request costs here is what
gunicorn, WSGI and Django's request handling cost on this machine; the ratio of a desk page to
it is what the desk adds (docs/benchmarks.md, *The baseline*).
"""
