package io.autotrade.report.html.internal;

import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.EquityPoint;
import io.autotrade.api.backtest.Trade;
import io.autotrade.api.trading.ExitReason;
import io.autotrade.api.trading.Side;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.Shape;
import java.math.BigDecimal;
import java.text.SimpleDateFormat;
import java.util.TimeZone;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYAreaRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's chart, drawn by JFreeChart into SVG (JFreeSVG): the close price with a marker at every
 * fill (green up-triangles for buys; sells by exit reason: red down-triangles for the strategy's, purple crosses for
 * stop-losses, blue diamonds for take-profits, orange down-triangles for trailing stops, grey squares for time
 * exits), the equity curve under it, and the
 * drawdown from the running equity peak under that, on one UTC time axis.
 */
final class Charts {
    static final int WIDTH = 1100;
    static final int HEIGHT = 820;
    private static final Color PRICE = new Color(0x33, 0x55, 0x88);
    private static final Color BUY = new Color(0x1a, 0x9c, 0x3c);
    private static final Color SELL = new Color(0xd0, 0x2b, 0x2b);
    private static final Color EQUITY = new Color(0x6a, 0x3d, 0x9a);
    private static final Color DRAWDOWN = new Color(0xd0, 0x2b, 0x2b, 0x88);

    private Charts() {
    }

    /** Points a line keeps at most per series: a longer run is drawn by each bucket's lowest and highest point. */
    static final int MAX_POINTS = 2_000;

    /**
     * @return the series of the points, all of them up to {@value #MAX_POINTS}; beyond, each of
     *         {@value #MAX_POINTS}/2 equal buckets of consecutive points gives its lowest and its highest, in time
     *         order, so the line keeps every swing a pixel can show and the page stays small
     */
    static XYSeries series(String name, long[] times, double[] values) {
        XYSeries s = new XYSeries(name, false, true);
        int n = times.length;
        if (n <= MAX_POINTS) {
            for (int i = 0; i < n; i++) {
                s.add(times[i], values[i]);
            }
            return s;
        }
        int buckets = MAX_POINTS / 2;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            int lo = from;
            int hi = from;
            for (int i = from; i < to; i++) {
                lo = values[i] < values[lo] ? i : lo;
                hi = values[i] > values[hi] ? i : hi;
            }
            s.add(times[Math.min(lo, hi)], values[Math.min(lo, hi)]);
            if (lo != hi) {
                s.add(times[Math.max(lo, hi)], values[Math.max(lo, hi)]);
            }
        }
        return s;
    }

    /** @return one {@code <svg>} element */
    static String svg(BacktestReport r) {
        String quote = r.market().substring(0, r.market().indexOf('-'));
        int n = r.equityCurve().size();
        long[] times = new long[n];
        double[] closes = new double[n];
        double[] equities = new double[n];
        double[] drawdowns = new double[n];
        BigDecimal peak = r.initialCash();
        for (int i = 0; i < n; i++) {
            EquityPoint p = r.equityCurve().get(i);
            times[i] = p.time().toEpochMilli();
            closes[i] = p.close().doubleValue();
            equities[i] = p.equity().doubleValue();
            peak = peak.max(p.equity());
            drawdowns[i] = p.equity().subtract(peak).divide(peak, 6, java.math.RoundingMode.HALF_EVEN).movePointRight(2)
                    .doubleValue();
        }
        XYSeries close = series("close", times, closes);
        XYSeries equity = series("equity (after fees)", times, equities);
        double[] benchmark = r.benchmark().stream().mapToDouble(p -> p.equity().doubleValue()).toArray();
        XYSeries hold = series("buy and hold (before fees)", times, benchmark);
        XYSeries drawdown = series("drawdown", times, drawdowns);
        XYPlot pricePlot = pricePlot(r, close, quote);

        XYLineAndShapeRenderer equityLine = new XYLineAndShapeRenderer(true, false);
        equityLine.setDrawSeriesLineAsPath(true);
        equityLine.setSeriesPaint(0, EQUITY);
        equityLine.setSeriesPaint(1, BENCHMARK);
        equityLine.setSeriesStroke(1, new java.awt.BasicStroke(1.2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 4f}, 0f));
        NumberAxis equityAxis = new NumberAxis("Equity (" + quote + ")");
        equityAxis.setAutoRangeIncludesZero(false);
        XYSeriesCollection equityData = new XYSeriesCollection(equity);
        equityData.addSeries(hold);
        XYPlot equityPlot = new XYPlot(equityData, null, equityAxis, equityLine);

        XYAreaRenderer ddArea = new XYAreaRenderer();
        ddArea.setSeriesPaint(0, DRAWDOWN);
        NumberAxis ddAxis = new NumberAxis("Drawdown (%)");
        ddAxis.setAutoRangeMinimumSize(1.0);
        XYPlot ddPlot = new XYPlot(new XYSeriesCollection(drawdown), null, ddAxis, ddArea);

        DateAxis time = new DateAxis("Time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        time.setDateFormatOverride(dateFormat(r));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(8);
        plot.add(pricePlot, 5);
        plot.add(equityPlot, 3);
        plot.add(ddPlot, 2);
        JFreeChart chart = new JFreeChart(r.market() + " " + r.strategyId(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        SVGGraphics2D g = svgGraphics(HEIGHT);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement();
    }

    /**
     * @param height the chart's height, px
     * @return the canvas of a chart {@value #WIDTH} px wide whose coordinates are written to 0.01 px: finer is
     *         invisible, and the shortest exact form of every double ({@code RyuDouble}, the library's default) made
     *         the SVG of a long run twice the size and its writing the slowest part of the report
     */
    private static SVGGraphics2D svgGraphics(int height) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
        g.setGeomDoubleConverter(Charts::hundredths);
        return g;
    }

    /**
     * @param v a coordinate, px
     * @return it rounded half up to 0.01, without trailing zeros ({@code 200.1}, {@code -3.05}, {@code 7}); a value
     *         that is not finite or beyond 10^15 as {@code Double.toString} writes it
     */
    static String hundredths(double v) {
        if (!Double.isFinite(v) || Math.abs(v) >= 1e15) {
            return Double.toString(v);
        }
        long r = Math.round(v * 100);
        long whole = Math.abs(r) / 100;
        int cents = (int) (Math.abs(r) % 100);
        StringBuilder out = new StringBuilder(12);
        if (r < 0) {
            out.append('-');
        }
        out.append(whole);
        if (cents != 0) {
            out.append('.').append((char) ('0' + cents / 10));
            if (cents % 10 != 0) {
                out.append((char) ('0' + cents % 10));
            }
        }
        return out.toString();
    }

    /** The buy-and-hold benchmark's line. */
    private static final Color BENCHMARK = new Color(0x88, 0x88, 0x88);

    /**
     * @param r a report whose tearsheet has rolling Sharpe values
     * @return the rolling Sharpe ratio as an inline SVG line chart, one point per UTC day
     */
    static String rollingSharpeSvg(BacktestReport r) {
        org.jfree.data.time.TimeSeries sharpe = new org.jfree.data.time.TimeSeries("Sharpe, " + r.tearsheet().rollingWindowDays()
                + " days, annualized");
        for (io.autotrade.api.backtest.Tearsheet.RollingValue v : r.tearsheet().rollingSharpe()) {
            if (v.value() != null) {
                sharpe.addOrUpdate(new org.jfree.data.time.Day(java.util.Date.from(v.day().atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant()), TimeZone.getTimeZone("UTC"), java.util.Locale.ROOT), v.value().doubleValue());
            }
        }
        DateAxis time = new DateAxis("Day (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        NumberAxis value = new NumberAxis("Sharpe");
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setDrawSeriesLineAsPath(true);
        line.setSeriesPaint(0, EQUITY);
        XYPlot plot = new XYPlot(new org.jfree.data.time.TimeSeriesCollection(sharpe, TimeZone.getTimeZone("UTC")), time, value, line);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        SVGGraphics2D g = svgGraphics(260);
        chart.draw(g, new Rectangle(0, 0, WIDTH, 260));
        return g.getSVGElement();
    }

    /** How the sells of each exit reason are marked: a shape and a colour of their own. */
    private static Shape sellShape(ExitReason reason) {
        return switch (reason) {
            case STOP_LOSS -> ShapeUtils.createDiagonalCross(5f, 1.5f);
            case TAKE_PROFIT -> ShapeUtils.createDiamond(6f);
            case TRAILING_STOP -> ShapeUtils.createDownTriangle(6f);
            case TIME_EXIT -> new java.awt.geom.Rectangle2D.Double(-4, -4, 8, 8);
            default -> ShapeUtils.createDownTriangle(6f);
        };
    }

    /** The colour of a sell's marker by exit reason (signal: red, as before exits existed). */
    static Color sellColor(ExitReason reason) {
        return switch (reason) {
            case STOP_LOSS -> new Color(0x8b, 0x00, 0x8b);
            case TAKE_PROFIT -> new Color(0x1f, 0x5f, 0xd0);
            case TRAILING_STOP -> new Color(0xe0, 0x7b, 0x00);
            case TIME_EXIT -> new Color(0x55, 0x55, 0x55);
            default -> SELL;
        };
    }

    /** @return the close price with the buys and the sells (one series per exit reason) marked at their fill prices */
    private static XYPlot pricePlot(BacktestReport r, XYSeries close, String quote) {
        XYSeries buys = new XYSeries("buy", false, true);
        java.util.Map<ExitReason, XYSeries> sells = new java.util.EnumMap<>(ExitReason.class);
        for (Trade t : r.trades()) {
            if (t.side() == Side.BID) {
                buys.add(t.time().toEpochMilli(), t.price());
            } else {
                ExitReason reason = t.exitReason() == null ? ExitReason.SIGNAL : t.exitReason();
                sells.computeIfAbsent(reason, x -> new XYSeries("sell " + x.code(), false, true))
                        .add(t.time().toEpochMilli(), t.price());
            }
        }

        XYSeriesCollection priceData = new XYSeriesCollection(close);
        XYLineAndShapeRenderer priceLine = new XYLineAndShapeRenderer(true, false);
        priceLine.setDrawSeriesLineAsPath(true);
        priceLine.setSeriesPaint(0, PRICE);
        priceLine.setSeriesStroke(0, new BasicStroke(1.2f));
        NumberAxis priceAxis = new NumberAxis("Price (" + quote + ")");
        priceAxis.setAutoRangeIncludesZero(false);
        XYPlot pricePlot = new XYPlot(priceData, null, priceAxis, priceLine);
        XYSeriesCollection fills = new XYSeriesCollection();
        XYLineAndShapeRenderer markers = new XYLineAndShapeRenderer(false, true);
        markers.setDrawOutlines(false); // filled in the series colour: an outline in the same colour drew each one twice
        fills.addSeries(buys);
        markers.setSeriesShape(0, ShapeUtils.createUpTriangle(6f));
        markers.setSeriesPaint(0, BUY);
        for (java.util.Map.Entry<ExitReason, XYSeries> e : sells.entrySet()) {
            int series = fills.getSeriesCount();
            fills.addSeries(e.getValue());
            markers.setSeriesShape(series, sellShape(e.getKey()));
            markers.setSeriesPaint(series, sellColor(e.getKey()));
        }
        pricePlot.setDataset(1, fills);
        pricePlot.setRenderer(1, markers);

        return pricePlot;
    }

    private static SimpleDateFormat dateFormat(BacktestReport r) {
        boolean intraday = r.equityCurve().size() > 1 && java.time.Duration.between(r.equityCurve().get(0).time(),
                r.equityCurve().get(1).time()).toHours() < 24;
        SimpleDateFormat f = new SimpleDateFormat(intraday ? "MM-dd HH:mm" : "yyyy-MM-dd");
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f;
    }
}
