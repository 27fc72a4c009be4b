package io.autotrade.api.backtest;

import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a backtest report as one self-contained HTML page (charts, metrics, trade list, inputs), for
 * a trader to open in a browser. Implemented by the {@code report.html} bundle.
 */
public interface ReportRenderer {

    /**
     * @param report the report
     * @param file   where to write; parent folders are created
     * @param links  other pages to link from this one (label to relative path), e.g. the runs of a
     *               comparison; empty for none
     * @throws BacktestException if the file cannot be written
     */
    void writeHtml(BacktestReport report, Path file, Map<String, String> links);
}
