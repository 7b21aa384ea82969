"""The agency's team (units, members, invitations) and the invitation link."""

from django.urls import path

from prongsai.web.pages import team

urlpatterns = [
    path("a/<slug:agency>/team/", team.team, name="team"),
    path("a/<slug:agency>/team/units/", team.team_units, name="team_units"),
    path("a/<slug:agency>/team/members/", team.team_members, name="team_members"),
    path("a/<slug:agency>/team/invitations/", team.team_invitations, name="team_invitations"),
    path("invite/<str:token>/", team.invitation_accept, name="invitation_accept"),
]
