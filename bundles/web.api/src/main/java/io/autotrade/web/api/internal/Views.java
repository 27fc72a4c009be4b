package io.autotrade.web.api.internal;

import io.autotrade.api.config.PendingChange;
import io.autotrade.api.event.DeadLetter;
import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.LaneStatistics;
import io.autotrade.api.portfolio.OrderView;
import io.autotrade.api.risk.RiskLimit;
import io.autotrade.api.trading.OrderSpec;
import io.autotrade.api.trading.Position;
import io.autotrade.api.trading.RiskBreached;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The JSON form of each thing the API returns. Field names are the shell's column headings in snake case;
 * every figure the shell prints rounded is given here exact (the shell's two decimals are for reading).
 */
final class Views {
    private Views() {
    }

    /** @return an order as {@code trade:orders} lists it, plus its price, volume and venue id */
    static Map<String, Object> order(OrderView o) {
        OrderSpec spec = o.spec();
        return Json.object("order_id", o.orderId().value(), "created_at", o.createdAt(), "updated_at", o.updatedAt(),
                "strategy", o.strategyId(), "market", spec.market().code(), "side", spec.side().upbitName(),
                "exit", o.exitReason() == null ? null : o.exitReason().code(), "type", spec.upbitTypeName(),
                "price", spec.price(), "volume", spec.volume(), "state", o.state().name(),
                "executed_volume", o.executedVolume(), "executed_funds", o.executedFunds(), "paid_fee", o.paidFee(),
                "venue_order_id", o.venueOrderId(), "reason", o.reason());
    }


    /** @return a position as {@code trade:positions} lists it */
    static Map<String, Object> position(Position p) {
        return Json.object("market", p.market().code(), "volume", p.volume(), "avg_entry", p.averageEntryPrice(),
                "mark", p.markPrice(), "cost_basis", p.costBasis(), "market_value", p.marketValue(),
                "realized", p.realizedPnl(), "unrealized", p.unrealizedPnl(), "fees", p.feesPaid(),
                "updated_at", p.updatedAt());
    }

    /** @return one lane as {@code trade:bus} lists it; latencies in microseconds */
    static Map<String, Object> lane(LaneStatistics s) {
        return Json.object("lane", s.lane().name(), "workers", s.workers(), "depth", s.depth(),
                "high_water", s.highWaterMark(), "capacity", s.capacity(), "published", s.published(),
                "delivered", s.delivered(), "retried", s.retried(), "dead_lettered", s.deadLettered(),
                "rejected", s.rejected(), "slow_calls", s.slowCalls(), "p50_latency_us", s.latencyP50Nanos() / 1_000.0,
                "p99_latency_us", s.latencyP99Nanos() / 1_000.0);
    }

    /** @return a dead letter as {@code trade:dlq list} lists it */
    static Map<String, Object> letter(DeadLetter l) {
        return Json.object("id", l.id(), "dead_lettered_at", l.deadLetteredAt(), "lane", l.lane().name(),
                "handler", l.handlerId(), "event", l.event().type(), "event_id", l.event().eventId().toString(),
                "aggregate", l.event().aggregateId(), "attempts", l.attempts(), "last_error", l.lastError());
    }

    /** @return a stored event: its envelope, and its payload as the store keeps it */
    static Map<String, Object> event(DomainEvent<?> e) {
        return Json.object("event_id", e.eventId().toString(), "type", e.type(), "version", e.version(),
                "occurred_at", e.occurredAt(), "aggregate", e.aggregateId(), "correlation", e.correlationId().toString(),
                "causation", e.causationId().equals(e.eventId()) ? null : e.causationId().toString(),
                "priority", e.priority().name(), "payload", e.payload());
    }

    /** @return a risk limit as {@code trade:risk} lists it ({@code limit} 0 is off, except the minimum total) */
    static Map<String, Object> limit(RiskLimit l) {
        boolean off = l.limit().signum() == 0 && !l.rule().equals("min.order.total");
        return Json.object("rule", l.rule(), "limit", off ? null : plain(l.limit()), "off", off, "usage", plain(l.usage()),
                "unit", l.unit(), "of", l.note());
    }

    /** @return a breach as {@code trade:risk} lists it */
    static Map<String, Object> breach(RiskBreached b) {
        return Json.object("rule", b.rule(), "order_id", b.orderId() == null ? null : b.orderId().value(),
                "strategy", b.strategyId(), "market", b.market().code(), "limit", plain(b.limit()), "value", plain(b.value()),
                "message", b.message());
    }

    /** @return a held change as {@code trade:pending} lists it */
    static Map<String, Object> pending(PendingChange c) {
        return Json.object("change_id", c.changeId(), "what", c.describe(), "waits_for_scope", c.scope(),
                "source", c.source());
    }

    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
