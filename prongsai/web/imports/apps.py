from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.imports"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"
