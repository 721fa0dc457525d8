"""A trend as a PNG bar chart (matplotlib on its Agg backend, imported only when a chart is
drawn, never at import time). Pure rendering: the counting is engine.trends."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from engine.trends import Bucket, Trend
from i18n import _, day, ngettext, short_day

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_PX, HEIGHT_PX, DPI = 1000, 560, 100
BAR_COLOR = "#2f6db5"


def title(trend: Trend) -> str:
    """The chart's title (also the photo's caption): the words, the period and the total."""
    words = " ".join(trend.words)
    if trend.bucket is Bucket.WEEK:
        template = _(
            "Articles mentioning “{words}” per week, last {days} days ({start} – {end}): "
            "{total} in total"
        )
    else:
        template = _(
            "Articles mentioning “{words}” per day, last {days} days ({start} – {end}): "
            "{total} in total"
        )
    return template.format(
        words=words,
        days=trend.days,
        start=day(trend.start),
        end=day(trend.end),
        total=trend.total,
    )


def render_png(trend: Trend) -> bytes:
    """The trend as a PNG of WIDTH_PX × HEIGHT_PX: bars per bucket, labelled axes, a title."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator
    from matplotlib.figure import Figure

    # Figure + its own Agg canvas, not pyplot: no global state, safe in a worker thread.
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    firsts = [first for first, _count in trend.counts]
    counts = [n for _first, n in trend.counts]
    width = 6.0 if trend.bucket is Bucket.WEEK else 0.85
    align = "edge" if trend.bucket is Bucket.WEEK else "center"
    axes.bar(firsts, counts, width=width, align=align, color=BAR_COLOR)  # type: ignore[arg-type]
    locator = AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    _label(figure, axes, trend)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _label(figure: Figure, axes: Axes, trend: Trend) -> None:
    """Ticks, axis labels and titles, in the reader's language (not the machine's locale)."""
    from matplotlib.dates import num2date
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    # "25. Nov." for a German reader, "Nov 25" for an English one.
    skeleton = "MMMd" if trend.days <= 62 else "yMMM"

    def tick(value: float, _position: int | None) -> str:
        return short_day(num2date(value).date(), skeleton)  # type: ignore[no-untyped-call]

    axes.xaxis.set_major_formatter(FuncFormatter(tick))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max(n for _first, n in trend.counts) * 1.15 + 0.5)
    axes.set_xlabel(_("week starting") if trend.bucket is Bucket.WEEK else _("day"))
    axes.set_ylabel(_("articles"))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    words = " ".join(trend.words)
    figure.suptitle(
        _("Articles mentioning “{words}”").format(words=words), fontsize=14, fontweight="bold"
    )
    per = _("per week") if trend.bucket is Bucket.WEEK else _("per day")
    total = ngettext("{count} article in total", "{count} articles in total", trend.total)
    axes.set_title(
        f"{per}, {day(trend.start)} – {day(trend.end)} · {total.format(count=trend.total)}",
        fontsize=10,
        color="#444444",
    )
