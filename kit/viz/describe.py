"""What a chart shows, as plain deterministic text (`describe_figure`): the title, and per trace its points
and total. The tests and the notebooks compare these lines instead of pixels. Imports nothing of the kit.
"""

from __future__ import annotations

__all__ = ["describe_figure"]


def _numbers(values) -> list[float]:
    return [v for v in values or () if isinstance(v, (int, float)) and not isinstance(v, bool)]


def describe_figure(fig) -> str:
    """What a chart shows, in plain deterministic text: title, then per trace its points and total, and the
    points a builder described in the trace's `meta["points"]` (the figures chart: «KAZ;RUS · 2022: 2
    reports, 27.0–28.2 bn USD»); lines without a name, such as network links, are counted together: each
    link is two points and a None."""
    lines = [str(fig.layout.title.text or "")]
    edges = 0
    for trace in fig.data:
        z = getattr(trace, "z", None)
        if z is not None:
            cells = [v for row in z for v in row]
            lines.append(f"  {trace.type}: {len(z)} rows x {len(z[0]) if z else 0} columns, total {sum(cells):g}")
            continue
        if not trace.name and getattr(trace, "mode", None) == "lines":
            edges += len(trace.x or ()) // 3
            continue
        if "text" in (getattr(trace, "mode", None) or ""):
            lines.append(f"  {trace.name}: {len(trace.x or ())} nodes")
            continue
        x, y = _numbers(getattr(trace, "x", None)), _numbers(getattr(trace, "y", None))
        values = x if getattr(trace, "orientation", None) == "h" or (x and not y) else y
        lines.append(f"  {trace.name or trace.type}: {len(values)} points, total {round(sum(values), 4):g}")
        lines.extend(f"    {point}" for point in ((trace.meta or {}).get("points", ()) if isinstance(trace.meta, dict) else ()))
    if edges:
        lines.append(f"  {edges} links")
    return "\n".join(lines)
