package io.autotrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalkForwardTest {
    private static final Instant START = Instant.parse("2023-03-01T00:00:00Z");
    private static final Instant END = Instant.parse("2023-03-11T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rollingWindowsTestRightAfterTheirTrainSpanAndNeverOverlapIt() {
        WalkForward.Spec spec = WalkForward.Spec.parse("train=P3D,test=P1D");
        assertEquals(Duration.ofDays(1), spec.step(), "the step defaults to the test span");
        assertEquals(Duration.ofDays(3), spec.warmUp(), "the warm-up defaults to the train span");
        List<WalkForward.Window> windows = WalkForward.windows(spec, START, END);
        assertEquals(7, windows.size());
        for (WalkForward.Window w : windows) {
            assertEquals(w.trainTo(), w.testFrom(), "the test span starts where the train span ends");
            assertFalse(w.testFrom().isBefore(w.trainTo()), "no overlap");
            assertEquals(Duration.ofDays(3), Duration.between(w.trainFrom(), w.trainTo()));
            assertFalse(w.testTo().isAfter(END));
        }
        assertEquals(START.plus(Duration.ofDays(9)), windows.get(6).testFrom());
        for (int i = 1; i < windows.size(); i++) {
            assertFalse(windows.get(i).testFrom().isBefore(windows.get(i - 1).testTo()), "test spans follow one another");
        }
    }

    @Test
    void anchoredWindowsGrowFromTheStartAndStepsMayBeLongerThanTests() {
        List<WalkForward.Window> anchored = WalkForward.windows(WalkForward.Spec.parse("train=P3D,test=P1D,step=P2D,anchored,warmup=PT12H"),
                START, END);
        assertEquals(4, anchored.size());
        assertTrue(anchored.stream().allMatch(w -> w.trainFrom().equals(START)));
        assertEquals(START.plus(Duration.ofDays(9)), anchored.get(3).trainTo());
        assertThrows(IllegalArgumentException.class, () -> WalkForward.windows(WalkForward.Spec.parse("train=P20D,test=P1D"), START, END),
                "too short a file says so");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> WalkForward.Spec.parse("train=3 days,test=P1D"));
        assertTrue(bad.getMessage().contains("train=3 days") && bad.getMessage().contains("ISO-8601"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WalkForward.Spec.parse("test=P1D"));
        assertThrows(IllegalArgumentException.class, () -> WalkForward.Spec.parse("train=P3D,test=P1D,size=P1D"));
    }

    private static JsonNode report(String initial, String totalReturn, String maxDrawdown, String profitFactor, String... equities) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("initial_cash", initial);
        m.put("total_return", totalReturn);
        m.put("final_equity", equities[equities.length - 1]);
        m.put("first_open", "2023-03-04T00:00:00Z");
        m.put("last_close", "2023-03-05T00:00:00Z");
        m.put("candles", equities.length);
        m.put("round_trip_count", 1);
        m.put("fees_paid", "1");
        Map<String, Object> metrics = new java.util.LinkedHashMap<>();
        metrics.put("max_drawdown", maxDrawdown);
        metrics.put("profit_factor", profitFactor);
        m.put("metrics", metrics);
        List<Object> curve = new ArrayList<>();
        for (int i = 0; i < equities.length; i++) {
            curve.add(Map.of("time", Instant.parse("2023-03-04T00:01:00Z").plus(Duration.ofMinutes(i)).toString(), "equity", equities[i]));
        }
        m.put("equity_curve", curve);
        return JSON.valueToTree(m);
    }

    @Test
    void theObjectivesRankBySharpeSortinoCalmarReturnOrProfitFactor() {
        JsonNode steady = report("100", "0.03", "0.01", "3", "101", "102", "103");
        JsonNode jumpy = report("100", "0.05", "0.04", "1.5", "110", "96", "105");
        JsonNode flat = report("100", "0", "0", null, "100", "100", "100");
        List<JsonNode> runs = List.of(jumpy, steady, flat);
        assertEquals(1, WalkForward.best(runs, WalkForward.Objective.SHARPE), "steady gains beat a jumpy path");
        assertEquals(1, WalkForward.best(runs, WalkForward.Objective.CALMAR), "3 / 1 beats 5 / 4");
        assertEquals(0, WalkForward.best(runs, WalkForward.Objective.TOTAL_RETURN));
        assertEquals(1, WalkForward.best(runs, WalkForward.Objective.PROFIT_FACTOR));
        assertEquals(0, WalkForward.Objective.SHARPE.score(flat), "no variation, no gain: 0");
        assertEquals(Double.POSITIVE_INFINITY, WalkForward.Objective.SORTINO.score(steady), "gains without a falling step");
        assertThrows(IllegalArgumentException.class, () -> WalkForward.Objective.of("omega"));
    }

    @Test
    void theStitchedEquityAddsEachTestRunsGainToWhereTheOnesBeforeEnded() {
        WalkForward.Spec spec = WalkForward.Spec.parse("train=P3D,test=P1D");
        List<WalkForward.Window> windows = WalkForward.windows(spec, START, START.plus(Duration.ofDays(5)));
        JsonNode train = report("1000", "0.01", "0.01", "2", "1010");
        JsonNode gain = report("1000", "0.02", "0.01", "2", "1005", "1020");
        JsonNode loss = report("1000", "-0.005", "0.01", "0.5", "990", "995");
        List<WalkForward.Outcome> outcomes = List.of(
                new WalkForward.Outcome(windows.get(0), List.of(Map.of("period", "7")), List.of(train), List.of(1.0), 0, gain),
                new WalkForward.Outcome(windows.get(1), List.of(Map.of("period", "7")), List.of(train), List.of(1.0), 0, loss));
        Map<String, Object> s = WalkForward.summary("KRW-BTC", spec, WalkForward.Objective.SHARPE, outcomes);
        assertEquals(0, new BigDecimal("1015").compareTo(new BigDecimal((String) s.get("stitched_final_equity"))), "1000 + 20 - 5");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stitched = (List<Map<String, Object>>) s.get("stitched_equity");
        assertEquals(List.of("1005", "1020", "1010", "1015"), stitched.stream().map(p -> (String) p.get("equity")).toList());
        assertTrue(WalkForwardPage.html(s).contains("<table id=\"windows\">"));
        assertTrue(WalkForwardPage.text(s).contains("1,000.00 -> 1,015.00"), WalkForwardPage.text(s));
        assertEquals("3 days", WalkForwardPage.words("PT72H"));
        assertEquals(0.75, (Double) s.get("walk_forward_efficiency"), 1e-9,
                "out-of-sample mean of 2% and -0.5% a day (0.75%) over the in-sample 1% a day");
        Map<String, Object> losing = WalkForward.summary("KRW-BTC", spec, WalkForward.Objective.SHARPE, List.of(
                new WalkForward.Outcome(windows.get(0), List.of(Map.of("period", "7")), List.of(report("1000", "-0.01", "0.01", "1", "990")),
                        List.of(1.0), 0, loss)));
        assertEquals(null, losing.get("walk_forward_efficiency"), "no ratio to an in-sample loss");
        assertTrue(WalkForwardPage.text(losing).contains("walk-forward efficiency n/a (the in-sample return is not above zero"));
    }
}
