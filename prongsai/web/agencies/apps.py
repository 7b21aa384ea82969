from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.agencies"
    label = "agencies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from prongsai.web.agencies import audit

        audit.connect()
