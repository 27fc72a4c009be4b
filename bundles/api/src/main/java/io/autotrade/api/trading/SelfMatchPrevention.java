package io.autotrade.api.trading;

import java.util.Arrays;

/**
 * What the exchange does when an order would trade with a resting order of the same account, by Upbit's
 * {@code smp_type} values (Upbit API reference, "주문 생성" / POST /v1/orders; changelog 2026-11-09: an order
 * sent without one gets {@code cancel_maker}).
 */
public enum SelfMatchPrevention {
    /** The new (taker) order is not executed against it; the resting order stays. */
    CANCEL_TAKER("cancel_taker"),
    /** The resting (maker) order is canceled; the new one goes on. */
    CANCEL_MAKER("cancel_maker"),
    /** Both are reduced by the volume that would have matched. */
    REDUCE("reduce");

    private final String upbitName;

    SelfMatchPrevention(String upbitName) {
        this.upbitName = upbitName;
    }

    /** @return the Upbit {@code smp_type} value */
    public String upbitName() {
        return upbitName;
    }

    /**
     * @param name an Upbit {@code smp_type} value, any case
     * @return its constant
     * @throws IllegalArgumentException naming the allowed values, for another name
     */
    public static SelfMatchPrevention ofUpbitName(String name) {
        return Arrays.stream(values()).filter(t -> t.upbitName.equalsIgnoreCase(name.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("smp type must be cancel_taker, cancel_maker or reduce, was '"
                        + name + "'"));
    }
}
