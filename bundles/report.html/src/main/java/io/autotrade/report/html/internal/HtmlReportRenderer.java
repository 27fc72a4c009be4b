package io.autotrade.report.html.internal;

import io.autotrade.api.backtest.BacktestException;
import io.autotrade.api.backtest.BacktestReport;
import io.autotrade.api.backtest.ReportRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** Writes backtest reports as self-contained HTML pages; written to a temporary file, then moved into place. */
@Component(service = ReportRenderer.class)
public class HtmlReportRenderer implements ReportRenderer {

    @Override
    public void writeHtml(BacktestReport report, Path file, Map<String, String> links) {
        String html;
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        try {
            // AWT and JFreeChart look up resources through the context class loader
            current.setContextClassLoader(HtmlReportRenderer.class.getClassLoader());
            html = HtmlReport.render(report, links);
        } finally {
            current.setContextClassLoader(previous);
        }
        try {
            Path target = file.toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(temp, html, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BacktestException("cannot write the HTML report " + file + ": " + e.getMessage(), e);
        }
    }
}
