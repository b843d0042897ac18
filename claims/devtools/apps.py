from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "claims.devtools"
    label = "devtools"
    verbose_name = "Developer tools (demo desk, benchmark)"
