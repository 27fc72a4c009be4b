package io.autotrade.web.health.internal;

import io.autotrade.api.event.EventBusAdmin;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.exchange.ExchangeStatus;
import io.autotrade.api.trading.TradingState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;

/**
 * The rules of the health checks, apart from OSGi so tests can call them: each turns what a service reports into a
 * Felix Health Check {@link Result} (OK, WARN, CRITICAL) with one message per finding.
 */
final class Checks {
    /** A lane this full (depth / capacity) is a warning. */
    static final double BUSY = 0.5;
    /** A lane this full is critical: publishers are about to wait or be refused. */
    static final double FULL = 0.9;
    /** Less of a rate-limit window's budget left than this is a warning. */
    static final double LOW_HEADROOM = 0.2;

    private Checks() {
    }

    /** @return CRITICAL while the journal refuses commits, else OK with the store's size */
    static Result store(String journalFault, String location, long events) {
        if (journalFault != null) {
            return new Result(Result.Status.CRITICAL, "the journal refuses commits (trading is halted): " + journalFault);
        }
        return new Result(Result.Status.OK, events + " events in " + location);
    }

    /** @return WARN or CRITICAL per lane by how full its queue is; WARN while dead letters wait */
    static Result bus(List<LaneStatistics> lanes, int deadLetters) {
        ResultLog log = new ResultLog();
        for (LaneStatistics s : lanes) {
            double fill = s.capacity() == 0 ? 0 : s.depth() / (double) s.capacity();
            String text = String.format(Locale.ROOT, "lane %s: %d of %d queued (%.0f%%)", s.lane(), s.depth(), s.capacity(), fill * 100);
            log.add(new ResultLog.Entry(fill >= FULL ? Result.Status.CRITICAL : fill >= BUSY ? Result.Status.WARN
                    : Result.Status.OK, text));
        }
        if (deadLetters > 0) {
            log.add(new ResultLog.Entry(Result.Status.WARN, deadLetters + " dead letter(s) wait for replay or discard (trade:dlq list)"));
        }
        return new Result(log);
    }

    /** @return WARN while halted (with the reason), else OK with the state */
    static Result trading(TradingState state, String haltReason) {
        return haltReason != null ? new Result(Result.Status.WARN, "trading is halted: " + haltReason)
                : new Result(Result.Status.OK, "trading " + state);
    }

    /**
     * @param exchanges each exchange's id and status
     * @param now       the time, to say how long a block lasts
     * @return CRITICAL without an exchange or while one is disconnected or blocked; WARN when a request group has less than
     *         {@link #LOW_HEADROOM} of its budget left
     */
    static Result exchanges(List<Named> exchanges, Instant now) {
        ResultLog log = new ResultLog();
        if (exchanges.isEmpty()) {
            log.add(new ResultLog.Entry(Result.Status.CRITICAL, "no exchange is running: no order can be placed"));
        }
        for (Named e : exchanges) {
            ExchangeStatus s = e.status();
            log.add(new ResultLog.Entry(s.connected() ? Result.Status.OK : Result.Status.CRITICAL,
                    e.id() + (s.connected() ? " connected: " : " not connected: ") + s.connection()));
            for (ExchangeStatus.RateLimitUsage r : s.rateLimits()) {
                Result.Status status = r.blockedUntil() != null ? Result.Status.CRITICAL
                        : r.headroom() < LOW_HEADROOM ? Result.Status.WARN : Result.Status.OK;
                String text = r.blockedUntil() != null
                        ? String.format(Locale.ROOT, "%s rate group %s: refused until %s (%d s)", e.id(), r.group(), r.blockedUntil(),
                                Math.max(0, r.blockedUntil().getEpochSecond() - now.getEpochSecond()))
                        : String.format(Locale.ROOT, "%s rate group %s: %d of %d requests used in %d ms (%.0f%% headroom)", e.id(),
                                r.group(), r.used(), r.permits(), r.window().toMillis(), r.headroom() * 100);
                log.add(new ResultLog.Entry(status, text));
            }
        }
        return new Result(log);
    }

    /** An exchange by its id. */
    record Named(String id, ExchangeStatus status) {
    }

    /** @return the lanes' statistics and the dead letters' count */
    static Result bus(EventBusAdmin admin) {
        return bus(admin.statistics(), admin.deadLetters().size());
    }

    static List<Named> named(List<io.autotrade.api.exchange.Exchange> exchanges) {
        List<Named> out = new ArrayList<>();
        for (io.autotrade.api.exchange.Exchange x : exchanges) {
            out.add(new Named(x.id(), x.status()));
        }
        return out;
    }
}
