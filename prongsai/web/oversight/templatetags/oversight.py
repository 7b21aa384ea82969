"""Numbers as the engine prints them (two decimals), for the overseer and public pages, and the
agency table's sort and page links."""

from django import template

from prongsai.ita.numbers import fmt

register = template.Library()


@register.filter
def score(value) -> str:
    return "–" if value is None else fmt(value)


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{value:.2f}%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def sort_query(table, key: str) -> str:
    return table.sort_query(key)


@register.filter
def sorted_by(table, key: str) -> str:
    return table.sorted_by(key)


@register.filter
def page_query(table, number) -> str:
    return table.query(page=number)


@register.filter
def reason(code: str) -> str:
    from prongsai.web.oversight.table import reason_texts

    return reason_texts([code])[0]
