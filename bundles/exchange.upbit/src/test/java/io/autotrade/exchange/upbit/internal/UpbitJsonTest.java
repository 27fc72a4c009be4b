package io.autotrade.exchange.upbit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.autotrade.api.exchange.Balance;
import io.autotrade.api.exchange.MarketRules;
import io.autotrade.api.trading.Candle;
import io.autotrade.api.trading.Market;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every real Upbit reply in {@code src/test/resources/upbit-api} (copied from {@code shared/data/upbit-api}). */
class UpbitJsonTest {
    static JsonNode sample(String name) {
        try (InputStream in = UpbitJsonTest.class.getResourceAsStream("/upbit-api/" + name)) {
            return UpbitJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static BigDecimal d(String v) {
        return new BigDecimal(v);
    }

    @Test
    void anOrderJustPlacedIsWaitingWithItsLockedFunds() {
        UpbitJson.Order o = UpbitJson.order(sample("ccxt_order_create_response_wait.json"));
        assertEquals("cdd92199-2897-4e14-9448-f923320408ad", o.uuid());
        assertEquals(Market.of("KRW-BTC"), o.market());
        assertEquals("bid", o.side());
        assertEquals("limit", o.ordType());
        assertEquals(0, d("100.0").compareTo(o.price()));
        assertEquals("wait", o.state());
        assertFalse(o.isFinal());
        assertEquals(0, d("0.01").compareTo(o.volume()));
        assertEquals(0, BigDecimal.ZERO.compareTo(o.executedVolume()));
        assertEquals(Instant.parse("2018-04-10T06:42:23Z"), o.createdAt());
        assertEquals(List.of(), o.trades());
        assertNull(o.identifier());
    }

    @Test
    void aDoneOrderListsItsTradesExactly() {
        UpbitJson.Order o = UpbitJson.order(sample("ccxt_order_get_response_done_with_trades.json"));
        assertTrue(o.isFinal());
        assertEquals(2, o.trades().size());
        UpbitJson.Trade t = o.trades().get(0);
        assertEquals("78162304-1a4d-4524-b9e6-c9a9e14d76c3", t.uuid());
        assertEquals(d("0.77368323"), t.volume());
        assertEquals(d("78142.00623"), t.funds(), "the reply's own digits, no double in between");
        assertEquals(0, o.executedVolume().compareTo(o.trades().stream().map(UpbitJson.Trade::volume).reduce(BigDecimal.ZERO, BigDecimal::add)));
        assertEquals(d("151.5"), o.paidFee());
    }

    @Test
    void aMarketSellOf2025HasNoPriceAndMicrosecondTradeTimes() {
        UpbitJson.Order o = UpbitJson.order(sample("ccxt_order_market_sell_done_KRW-USDT_2025.json"));
        assertEquals("market", o.ordType());
        assertNull(o.price());
        assertEquals(Instant.parse("2025-08-09T07:44:00.597751Z"), o.trades().get(0).createdAt());
        assertEquals(d("7394.19175"), o.trades().get(0).funds());
    }

    @Test
    void cancelAndNewCarriesTheIdentifierAndATextTradeCount() {
        UpbitJson.Order o = UpbitJson.order(sample("ccxt_cancel_and_new_response.json"));
        assertEquals("21", o.identifier());
        assertEquals("wait", o.state());
    }

    @Test
    void orderChanceGivesFeesAndTheMinimumTotal() {
        MarketRules r = UpbitJson.chance(sample("ccxt_orders_chance_KRW-BTC.json"));
        assertEquals(new MarketRules(Market.of("KRW-BTC"), d("0.0005"), d("0.0005"), d("5000")), r);
    }

    @Test
    void anAccountIsAvailableAndLocked() {
        Balance b = UpbitJson.balance(sample("node-red-contrib-upbit_accounts_element.json"));
        assertEquals(new Balance("KRW", d("83871.9375"), d("6128.0625")), b);
    }

    @Test
    void minuteCandlesAreReadOldestFirstWithExactPrices() {
        List<Candle> one = UpbitJson.candles(sample("smtm_candles_minutes1_KRW-BTC_20200220_1700-2020.json"), Duration.ofMinutes(1));
        List<Candle> three = UpbitJson.candles(sample("smtm_candles_minutes3_KRW-BTC_20200220_0000-1000.json"), Duration.ofMinutes(3));
        List<Candle> later = UpbitJson.candles(sample("smtm_candles_minutes1_KRW-BTC_20200220_2020-2100.json"), Duration.ofMinutes(1));
        assertEquals(200, one.size());
        assertTrue(one.get(0).openTime().isBefore(one.get(199).openTime()));
        Candle last = one.get(199);
        assertEquals(Instant.parse("2020-02-20T11:19:00Z"), last.openTime());
        assertEquals(d("11498000.0"), last.close());
        assertEquals(d("2.63267824"), last.volume());
        assertEquals(200, three.size());
        assertEquals(Duration.ofMinutes(3), three.get(0).interval());
        assertTrue(later.size() > 0);
        Candle single = UpbitJson.candle(sample("smtm_record_candle_minute1_KRW-BTC_single.json"), Duration.ofMinutes(1));
        assertEquals(0, d("11443000").compareTo(single.close()));
    }

    @Test
    void tickersOrderbooksAndTheWebSocketTickerAreRead() {
        UpbitJson.Ticker t = UpbitJson.ticker(sample("xchange_ticker_KRW-BTC.json").get(0));
        assertEquals(new UpbitJson.Ticker(Market.of("KRW-BTC"), d("7050000"), Instant.ofEpochMilli(1530510135000L)), t);
        UpbitJson.Ticker spec = UpbitJson.ticker(sample("xchange_apispec_ticker_KRW-BTC.json").get(0));
        assertEquals(Market.of("KRW-BTC"), spec.market());
        UpbitJson.Ticker ws = UpbitJson.ticker(sample("upbitdocs_websocket_ticker_KRW-BTC_DEFAULT.json"));
        assertEquals(0, d("8629000").compareTo(ws.tradePrice()));
        UpbitJson.Orderbook book = UpbitJson.orderbook(sample("xchange_apispec_orderbook_KRW-BTC.json").get(0));
        assertEquals(d("6956000"), book.levels().get(0).askPrice());
        assertEquals(d("0.00718341"), book.levels().get(0).bidSize());
        UpbitJson.Orderbook btcEth = UpbitJson.orderbook(sample("xchange_orderbook_BTC-ETH.json").get(0));
        assertEquals(Market.of("BTC-ETH"), btcEth.market());
        assertEquals(d("0.07084678"), btcEth.levels().get(0).askPrice());
        JsonNode trades = sample("xchange_trades_BTC-ETH.json");
        assertEquals(d("0.07092"), UpbitJson.decimal(trades.get(0), "trade_price"));
    }

    @Test
    void aMalformedReplyNamesTheFieldAndAnErrorReplyItsName() {
        UpbitJson.UpbitFormatException missing = assertThrows(UpbitJson.UpbitFormatException.class,
                () -> UpbitJson.order(UpbitJson.parse("{\"uuid\":\"x\"}", "test")));
        assertTrue(missing.getMessage().contains("'market'"), missing.getMessage());
        UpbitJson.UpbitFormatException nan = assertThrows(UpbitJson.UpbitFormatException.class,
                () -> UpbitJson.balance(UpbitJson.parse("{\"currency\":\"KRW\",\"balance\":\"lots\",\"locked\":\"0\"}", "test")));
        assertTrue(nan.getMessage().contains("'balance' is not a number"), nan.getMessage());
        assertThrows(UpbitJson.UpbitFormatException.class, () -> UpbitJson.parse("<html>502</html>", "GET /accounts"));
        String[] error = UpbitJson.error("{\"error\":{\"name\":\"insufficient_funds_bid\",\"message\":\"주문가능한 금액(KRW)이 부족합니다.\"}}");
        assertEquals("insufficient_funds_bid", error[0]);
        assertNull(UpbitJson.error("Bad Gateway"));
    }
}
