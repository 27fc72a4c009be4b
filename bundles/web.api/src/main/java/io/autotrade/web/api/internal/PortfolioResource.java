package io.autotrade.web.api.internal;

import io.autotrade.api.portfolio.Account;
import io.autotrade.api.portfolio.PositionBook;
import io.autotrade.api.trading.Position;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/positions} (as {@code trade:positions}) and {@code GET /api/v1/pnl} (as {@code trade:pnl}, plus
 * the account's equity per quote currency: cash and positions at their mark), from the position manager.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({Api.BASE + "/positions", Api.BASE + "/pnl"})
public class PortfolioResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private final transient PositionBook positions;
    private final transient Account account;
    private final transient Logger logger;

    /**
     * @param positions the position book
     * @param account   the account's equity
     * @param loggers   the OSGi log
     */
    @Activate
    public PortfolioResource(@Reference PositionBook positions, @Reference Account account, @Reference LoggerFactory loggers) {
        this.positions = positions;
        this.account = account;
        this.logger = loggers.getLogger(PortfolioResource.class);
    }

    @Override
    Logger logger() {
        return logger;
    }

    @Override
    Reply get(HttpServletRequest request) {
        List<Position> all = positions.positions();
        if (route(request).equals("/positions")) {
            return Reply.ok(all.stream().map(Views::position).toList());
        }
        return Reply.ok(pnl(all, account));
    }

    /**
     * @return {@code {markets: [{market, realized, unrealized, fees, net}], total: {...}, equity: {KRW: ...}}}, net being
     *         realized + unrealized - fees, as {@code trade:pnl}
     */
    static Map<String, Object> pnl(List<Position> all, Account account) {
        List<Object> markets = new ArrayList<>();
        BigDecimal realized = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        for (Position p : all) {
            markets.add(Json.object("market", p.market().code(), "realized", p.realizedPnl(), "unrealized", p.unrealizedPnl(),
                    "fees", p.feesPaid(), "net", p.realizedPnl().add(p.unrealizedPnl()).subtract(p.feesPaid())));
            realized = realized.add(p.realizedPnl());
            unrealized = unrealized.add(p.unrealizedPnl());
            fees = fees.add(p.feesPaid());
        }
        return Json.object("markets", markets, "total", Json.object("realized", realized, "unrealized", unrealized, "fees", fees,
                "net", realized.add(unrealized).subtract(fees)), "equity", equity(all, account));
    }

    /**
     * @return the account's equity (cash plus positions at their mark) per quote currency: KRW and each position's
     *         quote; a currency the account cannot value (no exchange running) is left out
     */
    static Map<String, BigDecimal> equity(List<Position> all, Account account) {
        TreeSet<String> quotes = new TreeSet<>(List.of("KRW"));
        all.forEach(p -> quotes.add(p.market().quote()));
        Map<String, BigDecimal> equity = new TreeMap<>();
        for (String quote : quotes) {
            account.equity(quote, null, null).ifPresent(e -> equity.put(quote, e));
        }
        return equity;
    }
}
