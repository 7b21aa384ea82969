"""A person's account pages (under account/)."""

from django.urls import path

from prongsai.web.agencies import tokens

urlpatterns = [
    path("tokens/", tokens.token_list, name="api_tokens"),
    path("tokens/<id:token>/revoke/", tokens.token_revoke, name="api_token_revoke"),
]
