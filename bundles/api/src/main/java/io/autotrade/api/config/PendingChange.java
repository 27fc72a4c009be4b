package io.autotrade.api.config;

/**
 * A change the {@link ConfigGate} holds until the trading state it touches is IDLE: a configuration
 * change ({@link ConfigChangeRequested}) or a bundle install, update or removal
 * ({@link BundleChangeRequested}).
 */
public sealed interface PendingChange permits ConfigChangeRequested, BundleChangeRequested {

    /** @return the change's unique id (its application carries the same id) */
    String changeId();

    /** @return the trading state it waits for: {@code global}, or a strategy id */
    String scope();

    /** @return where it came from, for people: {@code shell}, {@code etc/<file>}, {@code deploy/<file>}, {@code configadmin} */
    String source();

    /** @return what it changes, for people: {@code io.autotrade.manager.risk max.open.orders=3}, {@code update bundle io.autotrade.strategy.rsi} */
    String describe();
}
