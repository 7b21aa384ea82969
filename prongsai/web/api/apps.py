from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"
