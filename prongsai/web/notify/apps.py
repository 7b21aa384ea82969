from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.notify"
    label = "notify"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prongsai.web.notify import events

        events.connect()
