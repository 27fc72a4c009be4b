package io.autotrade.web.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrometheusTest {
    @Test
    void writesTheTextFormatWithOneHelpAndTypePerFamilyAndEscapedLabels() {
        String text = new Prometheus()
                .sample("x_total", "counter", "Things.", 3, "lane", "A")
                .sample("x_total", "counter", "Things.", 4.5, "lane", "B\"\\\n")
                .sample("lat_seconds", "summary", "Latency.", 0.25, "quantile", "0.5")
                .sample("lat_seconds_sum", "summary", "Latency.", 1.5)
                .sample("lat_seconds_count", "summary", "Latency.", 6)
                .sample("g", "gauge", "Not a number.", Double.NaN)
                .toString();
        assertEquals("""
                # HELP x_total Things.
                # TYPE x_total counter
                x_total{lane="A"} 3
                x_total{lane="B\\"\\\\\\n"} 4.5
                # HELP lat_seconds Latency.
                # TYPE lat_seconds summary
                lat_seconds{quantile="0.5"} 0.25
                lat_seconds_sum 1.5
                lat_seconds_count 6
                # HELP g Not a number.
                # TYPE g gauge
                g NaN
                """, text);
    }
}
