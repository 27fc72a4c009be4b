package io.autotrade.strategy.support;

import io.autotrade.api.exchange.QuoteCurrency;
import io.autotrade.api.portfolio.Account;
import io.autotrade.api.risk.RiskLimit;
import io.autotrade.api.risk.RiskView;
import io.autotrade.api.strategy.ExitRules;
import io.autotrade.api.trading.Market;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * How much quote currency one buy of a strategy instance spends (settings {@value #ORDER_AMOUNT} and
 * {@value #RISK_PER_TRADE}):
 * <ul>
 *   <li>{@code order.amount=1000000}: that amount (the default: the quote currency's, KRW 1,000,000);</li>
 *   <li>{@code order.amount=10%}: that share of the account's equity (cash plus positions, {@link Account});</li>
 *   <li>{@code risk.per.trade=0.01} with {@code stop.loss=0.02}: the amount whose stop-loss loses that share of
 *       equity: equity &times; 0.01 / 0.02, half the equity here.</li>
 * </ul>
 * A share of equity is capped by the risk manager's {@code max.order.notional} for the quote currency (when it is
 * on) and by what the account can spend now ({@link Account#buyingPower}), rounded down to 8 decimals.
 *
 * @param fixed       a fixed amount, or null
 * @param equityShare a share of equity (from a percentage or risk.per.trade / stop.loss), or null
 * @param key         the setting it comes from: {@value #ORDER_AMOUNT} or {@value #RISK_PER_TRADE}
 * @param text        its value as it shows, e.g. {@code 10%}
 */
public record Sizing(BigDecimal fixed, BigDecimal equityShare, String key, String text) {
    /** Setting key of the amount per buy. */
    public static final String ORDER_AMOUNT = "order.amount";
    /** Setting key of the share of equity risked per trade (needs {@code stop.loss}). */
    public static final String RISK_PER_TRADE = "risk.per.trade";

    /**
     * @param orderAmount  {@code order.amount}: an amount, a percentage of equity such as {@code 10%}, or blank for
     *                     the quote currency's default
     * @param riskPerTrade {@code risk.per.trade}: a fraction in (0, 1), or blank
     * @param exits        the instance's exit rules ({@code risk.per.trade} needs their {@code stop.loss})
     * @param market       the instance's market, for the default amount
     * @return the sizing
     * @throws IllegalArgumentException naming the setting, for a malformed or inconsistent value
     */
    public static Sizing parse(String orderAmount, String riskPerTrade, ExitRules exits, Market market) {
        boolean amountGiven = orderAmount != null && !orderAmount.isBlank();
        if (riskPerTrade != null && !riskPerTrade.isBlank()) {
            if (amountGiven) {
                throw new IllegalArgumentException("set order.amount or risk.per.trade, not both (order.amount '"
                        + orderAmount + "', risk.per.trade '" + riskPerTrade + "')");
            }
            BigDecimal r = number(RISK_PER_TRADE, riskPerTrade);
            if (r.signum() <= 0 || r.compareTo(BigDecimal.ONE) >= 0) {
                throw new IllegalArgumentException("risk.per.trade must be a fraction in (0, 1) of equity, was " + riskPerTrade);
            }
            if (exits.stopLoss() == null) {
                throw new IllegalArgumentException("risk.per.trade sizes a buy by its stop-loss: set stop.loss too");
            }
            return new Sizing(null, r.divide(exits.stopLoss(), 12, RoundingMode.HALF_EVEN), RISK_PER_TRADE, r.toPlainString());
        }
        if (!amountGiven) {
            BigDecimal d = QuoteCurrency.of(market.quote()).map(QuoteCurrency::defaultOrderAmount).orElseThrow(
                    () -> new IllegalArgumentException("order.amount must be set: " + market.quote() + " has no default order amount"));
            return new Sizing(d, null, ORDER_AMOUNT, d.toPlainString());
        }
        String a = orderAmount.strip();
        if (a.endsWith("%")) {
            BigDecimal pct = number(ORDER_AMOUNT, a.substring(0, a.length() - 1));
            if (pct.signum() <= 0 || pct.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new IllegalArgumentException("order.amount as a share of equity must be in (0%, 100%], was " + a);
            }
            return new Sizing(null, pct.movePointLeft(2), ORDER_AMOUNT, a);
        }
        BigDecimal fixed = number(ORDER_AMOUNT, a);
        if (fixed.signum() <= 0) {
            throw new IllegalArgumentException("order.amount must be > 0, was " + orderAmount);
        }
        return new Sizing(fixed, null, ORDER_AMOUNT, fixed.toPlainString());
    }

    private static BigDecimal number(String key, String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number" + (key.equals(ORDER_AMOUNT) ? " or a percentage such as 10%" : "")
                    + ", was '" + text + "'");
        }
    }

    /**
     * @param market  the market to buy
     * @param close   its latest close (values the instance's own position)
     * @param account the account, for equity and buying power
     * @param risk    the risk manager's limits, or null when none is running
     * @return the quote amount to spend, or empty when the account's equity is unknown (no exchange) or nothing
     *         can be spent
     */
    public Optional<BigDecimal> amount(Market market, BigDecimal close, Account account, RiskView risk) {
        if (fixed != null) {
            return Optional.of(fixed);
        }
        Optional<BigDecimal> equity = account.equity(market.quote(), market, close);
        if (equity.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal amount = equity.get().multiply(equityShare);
        if (risk != null) {
            String rule = RiskLimit.forQuote("max.order.notional", market.quote());
            for (RiskLimit l : risk.limits()) {
                if (l.rule().equals(rule) && l.limit().signum() > 0) {
                    amount = amount.min(l.limit());
                }
            }
        }
        Optional<BigDecimal> power = account.buyingPower(market);
        if (power.isPresent()) {
            amount = amount.min(power.get());
        }
        amount = amount.setScale(8, RoundingMode.DOWN).stripTrailingZeros();
        return amount.signum() > 0 ? Optional.of(amount.scale() < 0 ? amount.setScale(0) : amount) : Optional.empty();
    }
}
