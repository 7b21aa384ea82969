from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.oversight"
    label = "oversight"
    default_auto_field = "django.db.models.BigAutoField"
