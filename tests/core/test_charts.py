"""Inline SVG charts: labelled for screen readers, text escaped, missing values shown as a dash."""

from motcua.core import charts


def test_bar_chart_labels_every_bar_and_escapes_text():
    svg = charts.bar_chart(
        [charts.Bar("UBND <xã> A", 75.5, "/ho-so/?a=1&b=2"), charts.Bar("Xã B", None), charts.Bar("Xã C", 0)],
        title="Xếp hạng & tỷ lệ",
        description="Ba cơ quan",
        suffix="%",
        max_value=100,
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="group"' in svg  # its bars are links, so not a presentational image
    assert "<title>UBND &lt;xã&gt; A: 75,5%</title>" in svg and "<xã>" not in svg
    assert '<title id="' in svg and ">Xếp hạng &amp; tỷ lệ</title>" in svg and "<desc" in svg
    assert 'href="/ho-so/?a=1&amp;b=2"' in svg
    assert ">–</text>" in svg  # no value: a dash and no bar
    assert svg.count("<rect") == 3 and 'width="0.0"' in svg


def test_column_chart_has_one_bar_per_month_and_series():
    svg = charts.column_chart(
        ["01/26", "02/26"],
        [charts.Series("Tiếp nhận", [3, 1200]), charts.Series("Đã giải quyết", [2, None])],
        title="12 tháng",
    )
    assert 'role="img"' in svg
    assert "<title>Tiếp nhận 02/26: 1.200</title>" in svg and "<title>Đã giải quyết 02/26: –</title>" in svg
    assert svg.count("<rect") == 2 + 4  # legend squares + bars
    assert 'aria-labelledby="' in svg
