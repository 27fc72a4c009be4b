package io.autotrade.api.trading;

import java.util.Arrays;

/**
 * How long an order may work, by Upbit's {@code time_in_force} values (Upbit API reference, "주문 생성" /
 * POST /v1/orders: {@code ioc} and {@code fok} on {@code limit} and {@code best} orders, {@code post_only}
 * on {@code limit} orders only, and not together with {@code smp_type}). An order without one works until it
 * fills or is canceled.
 */
public enum TimeInForce {
    /** Immediate or cancel: what fills on arrival fills, the rest is canceled at once. */
    IOC("ioc"),
    /** Fill or kill: the whole order fills on arrival, or nothing does and it is canceled. */
    FOK("fok"),
    /** Post only: the order only rests in the book (maker); one that would trade on arrival is canceled instead. */
    POST_ONLY("post_only");

    private final String upbitName;

    TimeInForce(String upbitName) {
        this.upbitName = upbitName;
    }

    /** @return the Upbit {@code time_in_force} value */
    public String upbitName() {
        return upbitName;
    }

    /**
     * @param name an Upbit {@code time_in_force} value ({@code ioc}, {@code fok}, {@code post_only}), any case
     * @return its constant
     * @throws IllegalArgumentException naming the allowed values, for another name
     */
    public static TimeInForce ofUpbitName(String name) {
        return Arrays.stream(values()).filter(t -> t.upbitName.equalsIgnoreCase(name.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("time in force must be ioc, fok or post_only, was '" + name + "'"));
    }
}
