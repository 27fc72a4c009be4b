package io.autotrade.exchange.upbit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Upbit's JSON replies (Upbit API docs, REST reference) read into exact values: every price, volume,
 * fee and amount is a {@link BigDecimal} read from the reply's own digits, whether Upbit sent it as a
 * string ({@code "0.0005"}, private endpoints) or as a number ({@code 11498000.0}, quotation
 * endpoints). A reply missing a field it must have, or with a field that is not a number, is refused
 * with a {@link UpbitFormatException} naming the field and the reply.
 */
final class UpbitJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    /** A reply Upbit should not have sent: a missing field or a malformed value. */
    static final class UpbitFormatException extends io.autotrade.api.exchange.ExchangeException {
        private static final long serialVersionUID = 1L;

        UpbitFormatException(String message) {
            super(message);
        }
    }

    /** One fill of an order ({@code trades[]} of {@code GET order}). */
    record Trade(String uuid, BigDecimal price, BigDecimal volume, BigDecimal funds, String side, Instant createdAt) {
    }

    /**
     * An order as Upbit reports it ({@code POST orders}, {@code GET order}, {@code GET orders/open}).
     *
     * @param uuid            Upbit's order id
     * @param identifier      our client order id, or null when the order was not placed with one
     * @param market          the market
     * @param side            {@code bid} or {@code ask}
     * @param ordType         {@code limit}, {@code price} (market buy by amount), {@code market} (market sell)
     * @param price           the limit price, or the amount of a market buy (KRW); null for a market sell
     * @param state           {@code wait}, {@code watch}, {@code done}, {@code cancel}, {@code prevented} (self-match
     *                        prevention ended it)
     * @param volume          ordered base volume; null for a market buy
     * @param remainingVolume base volume not filled yet; null for a market buy
     * @param executedVolume  base volume filled
     * @param paidFee         fees paid, quote currency
     * @param createdAt       when Upbit took it
     * @param trades          its fills, when the reply lists them (else empty)
     * @param preventedVolume base volume self-match prevention did not execute ({@code prevented_volume}), or null
     */
    record Order(String uuid, String identifier, Market market, String side, String ordType, BigDecimal price, String state,
            BigDecimal volume, BigDecimal remainingVolume, BigDecimal executedVolume, BigDecimal paidFee, Instant createdAt,
            List<Trade> trades, BigDecimal preventedVolume) {
        /** @return {@code true} once Upbit will not change it any more ({@code done}, {@code cancel} or {@code prevented}) */
        boolean isFinal() {
            return state.equals("done") || state.equals("cancel") || state.equals("prevented");
        }
    }

    /**
     * One {@code myOrder} message of the private WebSocket (Upbit API reference, "내 주문 및 체결 (MyOrder)"): an
     * order was created, traded, ended. Trade fields are set only in state {@code trade}.
     *
     * @param uuid            Upbit's order id
     * @param identifier      our client order id, or null (the field exists since 2024-12-04)
     * @param market          the market ({@code code})
     * @param state           {@code wait}, {@code watch}, {@code trade}, {@code done}, {@code cancel}, {@code prevented}
     * @param tradeUuid       the trade's id ({@code trade_uuid}), in state {@code trade}; else null
     * @param price           the trade's price in state {@code trade}; else the order's price (may be null)
     * @param volume          the trade's volume in state {@code trade}; else the order's volume (may be null)
     * @param tradeFee        the trade's fee ({@code trade_fee}, quote currency), or null
     * @param maker           whether the trade filled the order as maker ({@code is_maker}), or null
     * @param remainingVolume base volume still to fill, or null (a market buy has none)
     * @param executedVolume  base volume filled so far
     * @param executedFunds   quote funds filled so far, or null
     * @param preventedVolume base volume self-match prevention did not execute, or null
     * @param time            the trade's time ({@code trade_timestamp}) or the message's ({@code timestamp})
     */
    record MyOrder(String uuid, String identifier, Market market, String state, String tradeUuid, BigDecimal price,
            BigDecimal volume, BigDecimal tradeFee, Boolean maker, BigDecimal remainingVolume, BigDecimal executedVolume,
            BigDecimal executedFunds, BigDecimal preventedVolume, Instant time) {
        /** @return whether the message reports one trade */
        boolean isTrade() {
            return state.equals("trade") && tradeUuid != null;
        }

        /** @return whether Upbit ended the order ({@code done}, {@code cancel}, {@code prevented}) */
        boolean isFinal() {
            return state.equals("done") || state.equals("cancel") || state.equals("prevented");
        }
    }

    /**
     * @param n a {@code myOrder} message (DEFAULT format)
     * @return it read
     * @throws UpbitFormatException if a field it needs is missing or malformed
     */
    static MyOrder myOrder(JsonNode n) {
        String state = text(n, "state");
        boolean trade = state.equals("trade");
        long ts = n.hasNonNull("trade_timestamp") && trade ? n.path("trade_timestamp").asLong() : n.path("timestamp").asLong();
        JsonNode maker = n.get("is_maker");
        return new MyOrder(text(n, "uuid"), optionalText(n, "identifier"), Market.of(text(n, "code")), state,
                trade ? text(n, "trade_uuid") : null, trade ? decimal(n, "price") : optionalDecimal(n, "price"),
                trade ? decimal(n, "volume") : optionalDecimal(n, "volume"), optionalDecimal(n, "trade_fee"),
                maker == null || maker.isNull() ? null : maker.asBoolean(), optionalDecimal(n, "remaining_volume"),
                decimal(n, "executed_volume"), optionalDecimal(n, "executed_funds"), optionalDecimal(n, "prevented_volume"),
                Instant.ofEpochMilli(ts));
    }

    /**
     * @param n a {@code myAsset} message (Upbit API reference, "내 자산 (MyAsset)": {@code assets[]} of
     *          {@code currency}, {@code balance} (available), {@code locked})
     * @return the balances it reports and their time
     */
    static MyAsset myAsset(JsonNode n) {
        List<Balance> out = new ArrayList<>();
        for (JsonNode a : n.path("assets")) {
            out.add(new Balance(text(a, "currency"), decimal(a, "balance"), decimal(a, "locked")));
        }
        long ts = n.hasNonNull("asset_timestamp") ? n.path("asset_timestamp").asLong() : n.path("timestamp").asLong();
        return new MyAsset(List.copyOf(out), Instant.ofEpochMilli(ts));
    }

    /**
     * @param balances the currencies whose balance changed, each its whole new state
     * @param time     when Upbit changed them ({@code asset_timestamp})
     */
    record MyAsset(List<Balance> balances, Instant time) {
    }

    /**
     * Order totals from {@code orders/chance} (Upbit API reference, "주문 가능 정보": {@code market.bid.min_total},
     * {@code market.ask.min_total}, {@code market.max_total}), quote currency.
     *
     * @param bidMin   smallest buy total
     * @param askMin   smallest sell total
     * @param maxTotal largest order total, or null when Upbit gives none
     */
    record Totals(BigDecimal bidMin, BigDecimal askMin, BigDecimal maxTotal) {
    }

    static Totals totals(JsonNode n) {
        JsonNode market = n.path("market");
        return new Totals(decimal(market.path("bid"), "min_total"), decimal(market.path("ask"), "min_total"),
                optionalDecimal(market, "max_total"));
    }

    /** The last trade of a market ({@code GET ticker}). */
    record Ticker(Market market, BigDecimal tradePrice, Instant tradeTime) {
    }

    /** One level of a book ({@code orderbook_units[]}). */
    record Level(BigDecimal askPrice, BigDecimal askSize, BigDecimal bidPrice, BigDecimal bidSize) {
    }

    /** A market's book ({@code GET orderbook}), best level first. */
    record Orderbook(Market market, Instant time, List<Level> levels) {
    }

    private UpbitJson() {
    }

    /** @throws UpbitFormatException if the text is not JSON */
    static JsonNode parse(String text, String what) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UpbitFormatException(what + ": the reply is not JSON (" + e.getOriginalMessage() + "): " + abbreviate(text));
        }
    }

    static Order order(JsonNode n) {
        List<Trade> trades = new ArrayList<>();
        for (JsonNode t : n.path("trades")) {
            trades.add(new Trade(text(t, "uuid"), decimal(t, "price"), decimal(t, "volume"), decimal(t, "funds"),
                    text(t, "side"), time(t, "created_at")));
        }
        return new Order(text(n, "uuid"), optionalText(n, "identifier"), Market.of(text(n, "market")), text(n, "side"),
                text(n, "ord_type"), optionalDecimal(n, "price"), text(n, "state"), optionalDecimal(n, "volume"),
                optionalDecimal(n, "remaining_volume"), decimal(n, "executed_volume"), decimal(n, "paid_fee"),
                time(n, "created_at"), List.copyOf(trades), optionalDecimal(n, "prevented_volume"));
    }

    /** @return the balance of an {@code accounts} element: available and locked, in its currency */
    static Balance balance(JsonNode n) {
        return new Balance(text(n, "currency"), decimal(n, "balance"), decimal(n, "locked"));
    }

    static List<Balance> balances(JsonNode n) {
        List<Balance> out = new ArrayList<>();
        n.forEach(b -> out.add(balance(b)));
        return out;
    }

    /** @return the trading rules in an {@code orders/chance} reply: taker fees and the bid side's minimum total */
    static MarketRules chance(JsonNode n) {
        JsonNode market = n.path("market");
        return new MarketRules(Market.of(text(market, "id")), decimal(n, "bid_fee"), decimal(n, "ask_fee"),
                decimal(market.path("bid"), "min_total"));
    }

    /**
     * @return the maker fee rates of an {@code orders/chance} reply ({@code maker_bid_fee}, {@code maker_ask_fee};
     *         Upbit API reference, "주문 가능 정보"), bid then ask; the taker rates where a reply has none
     */
    static BigDecimal[] makerFees(JsonNode n) {
        BigDecimal bid = optionalDecimal(n, "maker_bid_fee");
        BigDecimal ask = optionalDecimal(n, "maker_ask_fee");
        return new BigDecimal[] {bid != null ? bid : decimal(n, "bid_fee"), ask != null ? ask : decimal(n, "ask_fee")};
    }

    /**
     * @param n        a {@code candles/minutes/{unit}} or {@code candles/days} element, or a WebSocket
     *                 {@code candle.<unit>m} message (market in {@code code})
     * @param interval the candles' length
     * @return the candle; its open time is {@code candle_date_time_utc}
     */
    static Candle candle(JsonNode n, Duration interval) {
        Instant open;
        try {
            open = LocalDateTime.parse(text(n, "candle_date_time_utc")).toInstant(ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            throw new UpbitFormatException("Upbit candle's 'candle_date_time_utc' is not a time: " + abbreviate(n.toString()));
        }
        return new Candle(Market.of(n.has("market") ? text(n, "market") : text(n, "code")), interval, open, decimal(n, "opening_price"), decimal(n, "high_price"),
                decimal(n, "low_price"), decimal(n, "trade_price"), decimal(n, "candle_acc_trade_volume"),
                optionalDecimal(n, "candle_acc_trade_price"));
    }

    /** @return the candles of a reply, oldest first (Upbit sends the newest first) */
    static List<Candle> candles(JsonNode n, Duration interval) {
        List<Candle> out = new ArrayList<>();
        n.forEach(c -> out.add(candle(c, interval)));
        out.sort(java.util.Comparator.comparing(Candle::openTime));
        return out;
    }

    static Ticker ticker(JsonNode n) {
        String market = n.has("market") ? text(n, "market") : text(n, "code");
        long ts = n.has("trade_timestamp") ? n.path("trade_timestamp").asLong() : n.path("timestamp").asLong();
        return new Ticker(Market.of(market), decimal(n, "trade_price"), Instant.ofEpochMilli(ts));
    }

    static Orderbook orderbook(JsonNode n) {
        List<Level> levels = new ArrayList<>();
        for (JsonNode u : n.path("orderbook_units")) {
            levels.add(new Level(decimal(u, "ask_price"), decimal(u, "ask_size"), decimal(u, "bid_price"), decimal(u, "bid_size")));
        }
        return new Orderbook(Market.of(text(n, "market")), Instant.ofEpochMilli(n.path("timestamp").asLong()), List.copyOf(levels));
    }

    /** @return Upbit's {@code error.name} and {@code error.message}, or null when the body is no Upbit error */
    static String[] error(String body) {
        try {
            JsonNode e = MAPPER.readTree(body).path("error");
            if (e.isObject() && e.hasNonNull("name")) {
                return new String[] {e.path("name").asText(), e.path("message").asText("")};
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not JSON: the caller reports the status and the body
        }
        return null;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new UpbitFormatException("Upbit reply lacks '" + field + "': " + abbreviate(n.toString()));
        }
        return v.asText();
    }

    static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static BigDecimal decimal(JsonNode n, String field) {
        BigDecimal d = optionalDecimal(n, field);
        if (d == null) {
            throw new UpbitFormatException("Upbit reply lacks '" + field + "': " + abbreviate(n.toString()));
        }
        return d;
    }

    static BigDecimal optionalDecimal(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().strip());
        } catch (NumberFormatException e) {
            throw new UpbitFormatException("Upbit reply's '" + field + "' is not a number: " + v + " in " + abbreviate(n.toString()));
        }
    }

    static Instant time(JsonNode n, String field) {
        String t = text(n, field);
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new UpbitFormatException("Upbit reply's '" + field + "' is not a time with an offset: " + t);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
