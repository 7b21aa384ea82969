"""The cycle's actions, in one place for the pages, the API, the demo loader and the tests:
submit, return and approve a plan, draft it, copy it to next year, edit and reorder its measures,
record progress, store an assessment, accept an imported report and undo that.

Each action checks what must hold, writes in one transaction (a failure half-way leaves nothing),
moves the versions on (optimistic locking: ``Conflict`` when the caller's version is stale), is
recorded in the audit trail under the acting user, and refuses with ``ActionRefused`` (Thai for
the person, English for logs). Views translate HTTP to these calls and back, nothing more.
"""

from prongsai.web.cycle.actions.assessments import store_assessment
from prongsai.web.cycle.actions.base import ActionRefused, Conflict, acting_as, bump_plan
from prongsai.web.cycle.actions.imports import Preview, accept_import, preview, undo_import
from prongsai.web.cycle.actions.plans import (
    add_measure,
    can_be_submitted,
    copy_to_next_year,
    create_plan,
    decide_plan,
    delete_measure,
    draft_plan,
    edit_measure,
    move_measure,
    plan_digest,
    progress_since_approval,
    reorder_measures,
    shift_years,
    submit_plan,
)
from prongsai.web.cycle.actions.progress import record_progress

__all__ = [
    "ActionRefused",
    "Conflict",
    "Preview",
    "accept_import",
    "acting_as",
    "add_measure",
    "bump_plan",
    "can_be_submitted",
    "copy_to_next_year",
    "create_plan",
    "decide_plan",
    "delete_measure",
    "draft_plan",
    "edit_measure",
    "move_measure",
    "plan_digest",
    "preview",
    "progress_since_approval",
    "record_progress",
    "reorder_measures",
    "shift_years",
    "store_assessment",
    "submit_plan",
    "undo_import",
]
