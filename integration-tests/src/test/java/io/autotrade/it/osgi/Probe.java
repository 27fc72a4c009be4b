package io.autotrade.it.osgi;

import io.autotrade.api.event.EventProperties;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.util.tracker.ServiceTracker;

/** Helpers for tests running inside the framework: fresh services, handlers, bundles, bus threads. */
final class Probe {
    private Probe() {
    }

    /**
     * @return the service, waiting up to 10 s for it: a fresh lookup, so valid after a bundle restart;
     *         got from the probe's own context and never released, so a service factory's object stays valid
     */
    static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            if (tracker.waitForService(Duration.ofSeconds(10).toMillis()) == null) {
                throw new AssertionError(type.getName() + " did not appear within 10 s");
            }
            return context.getService(tracker.getServiceReference());
        } finally {
            tracker.close();
        }
    }

    static ServiceRegistration<EventHandler> handler(BundleContext context, String id, String topic, Consumer<Event> body) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, topic);
        props.put(EventProperties.HANDLER_ID, id);
        return context.registerService(EventHandler.class, body::accept, props);
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    /** @return live threads of the event bus: lane workers, watchdog and retry timer */
    static long busThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("autotrade-bus")).count();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs a Gogo command through the framework's CommandProcessor, by reflection: the Gogo API must not
     * be on the test class path, where it would shadow the framework's copy for the launcher-based tests.
     */
    static String shell(BundleContext context, String command) throws Exception {
        org.osgi.framework.ServiceReference<?> ref = null;
        for (int i = 0; i < 100 && ref == null; i++) {
            ref = context.getServiceReference("org.apache.felix.service.command.CommandProcessor");
            if (ref == null) {
                sleep(100);
            }
        }
        if (ref == null) {
            throw new AssertionError("the Gogo CommandProcessor is not registered");
        }
        Object processor = context.getService(ref);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Object session = processor.getClass().getMethod("createSession", java.io.InputStream.class,
                java.io.OutputStream.class, java.io.OutputStream.class).invoke(processor, System.in, print, print);
        try {
            Object result = session.getClass().getMethod("execute", CharSequence.class).invoke(session, command);
            if (result != null) {
                print.print(session.getClass().getMethod("format", Object.class, int.class).invoke(session, result, 0));
            }
        } finally {
            session.getClass().getMethod("close").invoke(session);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

}
