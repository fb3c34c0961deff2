"""Charts: each returns a matplotlib Figure with readable, unclipped labels."""

from __future__ import annotations

import pytest

import tokyotech_partners as ttp

matplotlib = pytest.importorskip("matplotlib")

DS = ttp.load()
PLOTS = [
    ttp.plot_agreements_per_year,
    ttp.plot_countries,
    ttp.plot_counterparts,
    ttp.plot_budget,
]


@pytest.mark.parametrize("plot", PLOTS)
def test_plot_returns_a_figure_whose_text_stays_inside(plot: object) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = plot(DS)  # type: ignore[operator]
    assert isinstance(fig, Figure)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    # everything drawn (titles, labels, drawn tick labels, legends) lies inside the figure
    drawn = fig.get_tightbbox(renderer)
    page = fig.bbox_inches
    tolerance = 0.02  # inches
    assert drawn.x0 >= page.x0 - tolerance
    assert drawn.y0 >= page.y0 - tolerance, drawn
    assert drawn.x1 <= page.x1 + tolerance
    assert drawn.y1 <= page.y1 + tolerance, drawn
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()]
    assert texts
    assert min(t.get_fontsize() for t in texts) >= 6


def test_stacked_years_add_up_to_all_agreements() -> None:
    fig = ttp.plot_agreements_per_year(DS)
    heights = sum(p.get_height() for p in fig.axes[0].patches)
    assert heights == len(DS.agreements)


def test_countries_top_n() -> None:
    fig = ttp.plot_countries(DS, top=7)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-1] == "China"
    assert len(labels) == 7


def test_nothing_to_plot_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no agreements"):
        ttp.plot_agreements_per_year(DS, DS.agreements_where(since=2022))
    with pytest.raises(ValueError, match="top must be positive"):
        ttp.plot_countries(DS, top=0)
    with pytest.raises(TypeError, match="top must be an int"):
        ttp.plot_countries(DS, top="5")  # type: ignore[arg-type]
