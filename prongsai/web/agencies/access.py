"""Who may see and do what: the one place that decides. Views and the API ask here and get
scoped querysets, so another agency's records are simply not found (404), never filtered later.

Roles per agency: editor (everything of the agency, its units and members), contributor (reads
the agency, updates only measures assigned to their unit), approver (reads, approves or returns),
viewer (reads).
Overseers read every agency of their province (or the country); site admins read and change all.
Drafts are never visible outside the agency: overseers see assessments and plans' status, and the
public sees approved snapshots only (prongsai/web/public).
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from prongsai.web.agencies.models import Agency, Membership, OverseerGrant, Role


class Action(StrEnum):
    VIEW = "view"  # the agency's own pages, drafts included
    EDIT = "edit"  # scores, analysis, plan, any measure
    UPDATE_MEASURE = "update_measure"  # progress and evidence of a measure
    SUBMIT = "submit"
    APPROVE = "approve"
    MANAGE_TEAM = "manage_team"  # units, members, invitations


_ROLE_ACTIONS = {
    Role.EDITOR: {Action.VIEW, Action.EDIT, Action.UPDATE_MEASURE, Action.SUBMIT, Action.MANAGE_TEAM},
    Role.CONTRIBUTOR: {Action.VIEW, Action.UPDATE_MEASURE},
    Role.APPROVER: {Action.VIEW, Action.APPROVE},
    Role.VIEWER: {Action.VIEW},
}


def membership(user, agency: Agency | int) -> Membership | None:
    if not user.is_authenticated:
        return None
    agency_id = agency if isinstance(agency, int) else agency.pk
    cache = user.__dict__.setdefault("_prongsai_memberships", {})
    if agency_id not in cache:
        cache[agency_id] = (
            Membership.objects.filter(user=user, agency_id=agency_id).select_related("unit").first()
        )
    return cache[agency_id]


def can(user, action: Action, agency: Agency | int) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    m = membership(user, agency)
    return m is not None and action in _ROLE_ACTIONS[Role(m.role)]


def can_update_measure(user, measure) -> bool:
    """Editors update any measure of their agency; a contributor only those of their unit."""
    agency_id = measure.plan.agency_id
    if not can(user, Action.UPDATE_MEASURE, agency_id):
        return False
    m = membership(user, agency_id)
    if user.is_superuser or m.role == Role.EDITOR:
        return True
    return m.unit_id is not None and measure.units.filter(pk=m.unit_id).exists()


def members_who(agency: Agency | int, action: Action, unit=None):
    """Active users whose role in ``agency`` allows ``action`` (who is told a plan waits, who is
    reminded); with ``unit``, editors and that unit's contributors only."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    roles = [r for r, actions in _ROLE_ACTIONS.items() if action in actions]
    q = Q(memberships__agency_id=agency_id, memberships__role__in=roles)
    if unit is not None:
        q &= Q(memberships__role=Role.EDITOR) | Q(memberships__unit=unit)
    return get_user_model().objects.filter(q, is_active=True).distinct()


def leaves_no_editor(m: Membership, new_role: str | None = None) -> bool:
    """Whether removing ``m`` (or giving it ``new_role``) would leave its agency without an editor:
    refused, so that someone can always manage the agency's team."""
    if m.role != Role.EDITOR or new_role == Role.EDITOR:
        return False
    return (
        not Membership.objects.filter(agency_id=m.agency_id, role=Role.EDITOR, user__is_active=True)
        .exclude(pk=m.pk)
        .exists()
    )


def member_agencies(user, action: Action = Action.VIEW) -> QuerySet[Agency]:
    """Agencies whose own pages (drafts included) the user may open for ``action``."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    roles = [r for r, actions in _ROLE_ACTIONS.items() if action in actions]
    return Agency.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def agency_for(user, slug: str, action: Action = Action.VIEW) -> Agency:
    """The agency named in a URL, the one way in for an agency's own pages: 404 unless the user is
    a member (or site admin): not found, never "forbidden", so a slug reveals nothing; 403 when
    the member's role lacks ``action``."""
    agency = member_agencies(user, Action.VIEW).filter(slug=slug).first()
    if agency is None:
        raise Http404
    if action != Action.VIEW and not can(user, action, agency):
        raise PermissionDenied
    return agency


def overseen_agencies(user) -> QuerySet[Agency]:
    """Agencies an overseer reads across (published results and plan status only)."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    grants = list(OverseerGrant.objects.filter(user=user).values_list("province", flat=True))
    if not grants:
        return Agency.objects.none()
    if "" in grants:
        return Agency.objects.all()
    return Agency.objects.filter(province__in=grants)


def is_overseer(user) -> bool:
    return user.is_authenticated and (user.is_superuser or OverseerGrant.objects.filter(user=user).exists())


def scoped(queryset: QuerySet, user, action: Action = Action.VIEW, agency_field: str = "agency") -> QuerySet:
    """Any agency-owned queryset narrowed to what ``user`` may do ``action`` on."""
    if user.is_authenticated and user.is_superuser:
        return queryset
    return queryset.filter(Q(**{f"{agency_field}__in": member_agencies(user, action)}))
