"""How ITA numbers are rounded and compared: two decimals, half away from zero, as NACC prints."""


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
    v = round2(value) + 0.0  # no "-0.00"
    if signed:
        return "0.00" if v == 0 else f"{v:+.2f}"
    return f"{v:.2f}"
