"""A center's trend chart as PNG (matplotlib, Agg): η ×3 by year, the counts (patents, standards,
projects, awards, papers) by year, and the totals (pre-filled and the evaluation's) with grades.
Chinese labels need a CJK font: Noto Sans CJK from Debian's fonts-noto-cjk (setup.sh installs it)."""

from __future__ import annotations

import io
from pathlib import Path

from imtc.register.figures import YearFigures

FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc")
ETAS = (("eta_equipment", "η 设备购置 (1.2.1)"), ("eta_calibration", "η 校准项目 (1.3.2)"),
        ("eta_key_parameter", "η 关键参数 (1.4.4)"))
COUNTS = (("patents", "专利"), ("standards", "标准"), ("projects", "项目"), ("awards", "奖项"), ("papers", "论文"))


class ChartError(Exception):
    """The chart cannot be drawn (no CJK font); the message is Chinese."""


def _font() -> str:
    from matplotlib import font_manager

    for path in FONT_FILES:
        if Path(path).is_file():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    raise ChartError("未找到中文字体 Noto Sans CJK（Debian 软件包 fonts-noto-cjk），无法绘制趋势图。请运行 setup.sh 安装。")


def trend_png(name: str, rows: list[YearFigures]) -> bytes:
    """The chart of one center's figures, as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    family = _font()
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig = Figure(figsize=(9, 9), dpi=100, layout="constrained")
        ax1, ax2, ax3 = fig.subplots(3, 1)
        years = [r.year for r in rows]
        fig.suptitle(f"{name} 年度数据趋势", fontsize=14)
        _etas(ax1, rows)
        _counts(ax2, rows, years)
        _totals(ax3, rows)
        for ax in (ax1, ax2, ax3):
            ax.set_xticks(years, [str(y) for y in years])
            ax.set_xlim(min(years, default=0) - 0.6, max(years, default=0) + 0.6)
            ax.grid(axis="y", alpha=0.3)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _etas(ax, rows: list[YearFigures]) -> None:  # type: ignore[no-untyped-def]
    for attr, label in ETAS:
        pts = [(r.year, getattr(r, attr) * 100) for r in rows if getattr(r, attr) is not None]
        if pts:
            ax.plot(*zip(*pts, strict=True), marker="o", label=label)
    ax.set_ylim(0, 105)
    ax.set_ylabel("完成率 %")
    ax.set_title("上一年度计划的完成率 η（附件5）", fontsize=11)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower left", fontsize=9)
    else:
        ax.text(0.5, 0.5, "尚无可计算 η 的年度工作总结", ha="center", va="center", transform=ax.transAxes)


def _counts(ax, rows: list[YearFigures], years: list[int]) -> None:  # type: ignore[no-untyped-def]
    width = 0.8 / len(COUNTS)
    for i, (attr, label) in enumerate(COUNTS):
        xs = [y + (i - (len(COUNTS) - 1) / 2) * width for y in years]
        ax.bar(xs, [getattr(r, attr) or 0 for r in rows], width, label=label)
    ax.set_ylabel("数量")
    ax.set_title("专利、标准、项目、奖项、论文（申请书年份为申请时的数量）", fontsize=11)
    ax.legend(loc="upper left", fontsize=9, ncols=5)


def _totals(ax, rows: list[YearFigures]) -> None:  # type: ignore[no-untyped-def]
    pre = [(r.year, r.prefilled_total) for r in rows if r.prefilled_total is not None]
    if pre:
        ax.plot(*zip(*pre, strict=True), marker="s", linestyle="--", label="预评总得分（自动计分项）")
    done = [(r.year, r.total, r.grade) for r in rows if r.total is not None or r.grade]
    if any(t is not None for _, t, _ in done):
        ax.plot([y for y, t, _ in done if t is not None], [t for _, t, _ in done if t is not None], marker="o",
                label="评价总得分")
    for y, t, g in done:
        ax.annotate(g or "", (y, t if t is not None else 5), textcoords="offset points", xytext=(0, 8), ha="center")
    ax.axhline(85, color="green", linewidth=0.8, alpha=0.5)
    ax.axhline(60, color="red", linewidth=0.8, alpha=0.5)
    ax.set_ylim(0, 105)
    ax.set_ylabel("得分")
    ax.set_title("总得分与评价等级（后续评价：优秀 ≥ 85，合格 ≥ 60）", fontsize=11)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", fontsize=9)
