"""manage.py render_profile [-n N] [--only NAME ...] [--profile] [--sort cumulative|tottime]"""

from django.conf import settings

from claims.devtools.render_profile import measure, rendered_endpoints
from claims.management.base import DeskCommand


class Command(DeskCommand):
    help = (
        "Render the benchmark's fresh-render endpoints N times each in process, as an anonymous "
        "reader with the reader cache bypassed, and print ms per request (CPU, wall), queries, "
        "and the ratio of /healthz to each (claims/devtools/render_profile.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("-n", type=int, default=20, help="Requests per endpoint (20).")
        # Repeated, not comma-separated: the endpoints' names hold commas.
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            help="Endpoints whose names contain this text (repeat for more than one).",
        )
        parser.add_argument("--profile", action="store_true", help="Print cProfile's top list.")
        parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
        parser.add_argument("--top", type=int, default=30, help="Functions in the top list.")

    def handle(self, *args, **options):
        token = settings.READER_CACHE_BYPASS_TOKEN
        if not token:
            self.stderr.write("READER_CACHE_BYPASS_TOKEN is not set: pages may come from cache.")
        only = options["only"]
        results = []
        for name, path, headers in rendered_endpoints():
            if only and path != "/healthz" and not any(o in name for o in only):
                continue
            result = measure(
                path,
                token=token,
                headers=headers,
                repeat=options["n"],
                profile=options["profile"] and path != "/healthz",
                top=options["top"],
                sort=options["sort"],
            )
            result.name = name
            results.append(result)
            if result.profile:
                self.stdout.write(f"== {name} {path}\n{result.profile}")
        baseline = results[0].cpu_ms
        self.stdout.write(
            f"{'endpoint':<60}{'status':>7}{'queries':>8}{'bytes':>9}"
            f"{'cpu ms':>9}{'wall ms':>9}{'healthz/cpu':>13}"
        )
        for r in results:
            self.stdout.write(
                f"{r.name:<60}{r.status:>7}{r.queries:>8}{r.size:>9}"
                f"{r.cpu_ms:>9.2f}{r.wall_ms:>9.2f}{baseline / r.cpu_ms:>13.3f}"
            )
