package io.autotrade.shell.internal;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code help}: every {@code trade:} command with its one-line description (its Gogo
 * {@link Descriptor}); {@code help NAME} hands over to Gogo's own help, which prints the options. Ranked
 * above Gogo's {@code felix:help}, so a plain {@code help} finds this one; {@code felix:help} lists
 * every scope's commands.
 */
@Component(service = HelpCommand.class, property = {"osgi.command.scope=trade", "osgi.command.function=help",
        Constants.SERVICE_RANKING + ":Integer=100"})
public class HelpCommand {
    private static final String SCOPE = "trade";
    /** One example per command, shown under Gogo's own help of it. */
    static final Map<String, String> EXAMPLES = Map.ofEntries(
            Map.entry("backtest", "trade:backtest --data data/upbit/KRW-BTC_1m_2020-02-20.csv --strategy rsi period=7 risk.max.order.notional=500000"),
            Map.entry("bundle", "trade:bundle update io.autotrade.strategy.rsi deploy/strategy.rsi-0.1.1.jar"),
            Map.entry("bus", "trade:bus"),
            Map.entry("cancel", "trade:cancel 3f350477-4f9c-4771-8616-b12f476121bd   (or trade:cancel --all)"),
            Map.entry("close", "trade:close rsi-KRW-BTC"),
            Map.entry("config", "trade:config io.autotrade.strategy.rsi~btc stop.loss 0.02"),
            Map.entry("dlq", "trade:dlq replay all"),
            Map.entry("events", "trade:events --type order.filled --limit 10"),
            Map.entry("exits", "trade:exits"),
            Map.entry("halt", "trade:halt --cancel-all --close \"exchange maintenance\""),
            Map.entry("help", "help trade:orders"),
            Map.entry("orders", "trade:orders --open"),
            Map.entry("pending", "trade:pending"),
            Map.entry("pnl", "trade:pnl"),
            Map.entry("positions", "trade:positions"),
            Map.entry("profile", "trade:profile switch --no-wait experiment"),
            Map.entry("replay", "trade:replay data/upbit/KRW-BTC_day_2024-01-02_2024-07.csv data/upbit/KRW-NEO_day_2024-01-01_2024-07.csv"),
            Map.entry("resume", "trade:resume \"checked the fills\""),
            Map.entry("risk", "trade:risk"),
            Map.entry("span", "trade:span --market USDT-BTC data/binance/BTCUSDT_1m_2023-03-01_2023-03-10.csv"),
            Map.entry("status", "trade:status"),
            Map.entry("strategies", "trade:strategies"));
    private final BundleContext context;

    /** @param context to find the trade commands */
    @Activate
    public HelpCommand(BundleContext context) {
        this.context = context;
    }

    /**
     * @param session the shell session, to hand a named command to Gogo's help
     * @param command a command name, or nothing for the list
     * @return the list, or the command's options
     * @throws Exception whatever Gogo's help throws
     */
    @Descriptor("list the trade: commands with what each does; help NAME shows a command's options")
    public Object help(CommandSession session, @Descriptor("a command, e.g. trade:orders") String... command) throws Exception {
        if (command.length > 0) {
            String name = command[0].contains(":") ? command[0] : SCOPE + ":" + command[0];
            Object help = session.execute("felix:help " + name);
            String example = name.startsWith(SCOPE + ":") ? EXAMPLES.get(name.substring(SCOPE.length() + 1)) : null;
            return example == null ? help : (help == null ? "" : help + System.lineSeparator()) + "   example: " + example;
        }
        Map<String, String> lines = new TreeMap<>();
        try {
            for (ServiceReference<?> ref : context.getServiceReferences((String) null, "(osgi.command.scope=" + SCOPE + ")")) {
                Object service = context.getService(ref);
                try {
                    describe(ref, service, lines);
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        lines.forEach((name, text) -> out.append(String.format("%-" + width + "s  %s%n", name, text)));
        out.append(System.lineSeparator()).append("help trade:NAME shows a command's options; felix:help lists every command");
        return out.toString();
    }

    private static void describe(ServiceReference<?> ref, Object service, Map<String, String> into) {
        Object functions = ref.getProperty("osgi.command.function");
        String[] names = functions instanceof String[] a ? a : new String[] {String.valueOf(functions)};
        for (String name : names) {
            for (Method m : service.getClass().getMethods()) {
                Descriptor d = m.getAnnotation(Descriptor.class);
                if (m.getName().equals(name) && d != null) {
                    into.putIfAbsent(SCOPE + ":" + name, d.value());
                }
            }
        }
    }
}
