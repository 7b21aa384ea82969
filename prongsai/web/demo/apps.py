from django.apps import AppConfig


class Config(AppConfig):
    name = "prongsai.web.demo"
    label = "demo"
