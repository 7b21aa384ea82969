from django.apps import AppConfig


class Config(AppConfig):
    """Retention, cleanup, storage quotas and request size (no models of its own)."""

    name = "prongsai.web.housekeeping"
    label = "housekeeping"

    def ready(self) -> None:
        from prongsai.web.housekeeping import files

        files.connect()
