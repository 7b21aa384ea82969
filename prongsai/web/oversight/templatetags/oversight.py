"""Numbers as the engine prints them (two decimals), for the overseer and public pages."""

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
