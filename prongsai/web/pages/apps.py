from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.pages"
    label = "pages"
    default_auto_field = "django.db.models.BigAutoField"
