/**
 * The domain-event envelope, topic names and the event bus and event store contracts.
 *
 * <p>Every domain event travels as a {@link io.autotrade.api.event.DomainEvent} on an OSGi
 * EventAdmin topic (OSGi Compendium R8, chapter 113 "Event Admin Service") named
 * {@code autotrade/<domain>/<EVENT>} (see {@link io.autotrade.api.event.Topics}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.2.0")
package io.autotrade.api.event;
