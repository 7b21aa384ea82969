"""The ITA engine: editions, scoring, analysis, plans and the pre-audit. No Django, no files
written; the only place that knows ITA arithmetic."""
