from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.cycle"
    label = "cycle"
    default_auto_field = "django.db.models.BigAutoField"
