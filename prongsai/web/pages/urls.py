from django.urls import path

from prongsai.web.pages import views

urlpatterns = [
    path("", views.home, name="home"),
]
