"""The demo desk and the benchmark: tools for developers, never part of a production install.

`manage.py load_demo` (the demo desk `make demo` serves), `seed_bench` and `bench_probe` (what
`make bench` runs), with their content and code. The app is installed when DEBUG is on or
DESK_DEVTOOLS=1 says so (newsroom/settings.py); the wheel `pip install .` builds leaves this
package out (pyproject.toml), so a production server has neither the demo's passwords nor the
benchmark's.
"""
