"""How ITA numbers are rounded and compared: two decimals, half away from zero, as NACC prints."""

from collections.abc import Mapping


def round2(x: float) -> float:
    """99.985 -> 99.99 and -5.805 -> -5.81, robust to binary noise (99.985 is 99.98499… in binary)."""
    # int() truncates toward zero, which is floor for the non-negative argument.
    if x >= 0:
        return int(x * 100 + 0.5000001) / 100
    return -int(-x * 100 + 0.5000001) / 100


def same_printed(a: float, b: float) -> bool:
    """Whether two values print the same at two decimals."""
    return round2(a) == round2(b)


def fmt(value: float | None, signed: bool = False) -> str:
    """Two decimals as printed: '93.96', '+0.42', '-5.80'."""
    if value is None:
        return "-"
    cache = _SIGNED if signed else _PRINTED
    text = cache.get(value)
    if text is None:
        v = round2(value) + 0.0  # no "-0.00"
        text = ("0.00" if v == 0 else f"{v:+.2f}") if signed else f"{v:.2f}"
        if len(cache) < 50_000:  # scores repeat (two decimals, mostly 50-100): few distinct ones
            cache[value] = text
    return text


# Printed forms already made (a national run prints millions of scores).
_PRINTED: dict[float, str] = {}
_SIGNED: dict[float, str] = {}
# What fmt(value) has already printed, to look up where a call per score would cost more than the
# lookup (`PRINTED.get(v) or fmt(v)`). Read only.
PRINTED: Mapping[float, str] = _PRINTED
