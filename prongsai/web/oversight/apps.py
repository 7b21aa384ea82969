from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.oversight"
    label = "oversight"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The overseer's rows follow every change to the cycle (signals.py, tasks.py).
        from prongsai.web.oversight import signals

        signals.connect()
