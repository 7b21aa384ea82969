"""The start page: straight to the agency's dashboard for a member of one agency, an overseer who
belongs to no agency to the overseer pages (their province's when they oversee one), else the
list of the user's agencies with their latest result."""

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect, render

from prongsai.ita.numbers import fmt
from prongsai.web.agencies.access import is_overseer, member_agencies
from prongsai.web.cycle.models import Assessment
from prongsai.web.oversight.views import landing_url as oversight_landing

HOME_LIMIT = 300


@login_required
def home(request):
    agencies = member_agencies(request.user).order_by("province", "name")
    first = list(agencies[:2])
    if len(first) == 1:
        return redirect("agency_dashboard", agency=first[0].slug)
    if not first and (landing := oversight_landing(request.user)):
        return redirect(landing)
    latest = Assessment.objects.filter(agency=OuterRef("pk")).order_by("-fiscal_year")
    rows = list(
        agencies.annotate(
            latest_year=Subquery(latest.values("fiscal_year")[:1]),
            latest_overall=Subquery(latest.values("overall")[:1]),
            latest_level=Subquery(latest.values("level")[:1]),
        ).only("pk", "name", "slug", "province", "district")[:HOME_LIMIT]
    )
    for a in rows:
        a.overall_text = fmt(a.latest_overall) if a.latest_overall is not None else "–"
    return render(
        request,
        "pages/home.html",
        {
            "agencies": rows,
            "total": agencies.count() if len(rows) >= HOME_LIMIT else len(rows),
            "limited": len(rows) >= HOME_LIMIT,
            "overseer": is_overseer(request.user),
        },
    )
