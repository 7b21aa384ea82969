from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.public"
    label = "public"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # An approval's public documents are built in a worker once it is recorded (signals.py).
        from prongsai.web.public import signals

        signals.connect()
