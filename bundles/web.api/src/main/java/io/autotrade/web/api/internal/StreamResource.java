package io.autotrade.web.api.internal;

import io.autotrade.api.event.DomainEvent;
import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/stream}: every domain event as the journal stores it, as Server-Sent Events (WHATWG HTML,
 * "Server-sent events"): {@code id:} the event id, {@code data:} the event as {@code GET /api/v1/events} gives it, in
 * append order. A client that reconnects with {@code Last-Event-ID} (browsers send it themselves; or the query
 * parameter {@code last_event_id}) gets every event stored after that one first, from the journal, so it misses
 * nothing; without it the stream starts with the next event stored. An id the journal does not hold is answered 404.
 *
 * <p>It tails the journal: one thread reads each client's next events (pages of {@value #PAGE}) every
 * {@value #POLL_MS} ms while clients are connected, and writes a comment line every {@value #HEARTBEAT_MS} ms to
 * idle ones, which drops connections that have gone. Non-durable events (the price ranges) are not journaled and
 * not streamed.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(Api.BASE + "/stream")
@HttpWhiteboardServletAsyncSupported
public class StreamResource extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** How often the journal is read for new events, ms. */
    static final long POLL_MS = 200;
    /** Longest silence before a keep-alive comment, ms. */
    static final long HEARTBEAT_MS = 15_000;
    /** Most events read from the journal at once per client. */
    static final int PAGE = 500;
    private final transient EventStore store;
    private final transient Logger logger;
    private final transient Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final transient ScheduledExecutorService tail;

    /** One connected client: its response and the last event it was sent. */
    private static final class Client {
        final AsyncContext async;
        final OutputStream out;
        UUID cursor;
        long lastWrite = System.currentTimeMillis();

        Client(AsyncContext async, UUID cursor) throws IOException {
            this.async = async;
            this.out = async.getResponse().getOutputStream();
            this.cursor = cursor;
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWrite = System.currentTimeMillis();
        }
    }

    /**
     * @param store   the event store
     * @param loggers the OSGi log
     */
    @Activate
    public StreamResource(@Reference EventStore store, @Reference LoggerFactory loggers) {
        this.store = store;
        this.logger = loggers.getLogger(StreamResource.class);
        this.tail = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autotrade-web-stream");
            t.setDaemon(true);
            return t;
        });
        tail.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void stop() {
        tail.shutdownNow();
        for (Client c : clients) {
            close(c);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String last = request.getHeader("Last-Event-ID");
        if (last == null || last.isBlank()) {
            last = request.getParameter("last_event_id");
        }
        UUID cursor;
        try {
            cursor = last == null || last.isBlank() ? newest() : EventsResource.uuid("Last-Event-ID", last);
            // a stored id that is not the newest has events after it: nothing after it and not the newest means unknown
            if (last != null && !last.isBlank() && store.query(EventQuery.all().after(cursor).limit(1)).isEmpty()
                    && !cursor.equals(newest())) {
                throw ApiException.notFound("Last-Event-ID " + cursor + " is not in the journal (another database, or a profile"
                        + " switch): reconnect without it to follow the events from now");
            }
        } catch (ApiException e) {
            Json.error(response, e.status(), e.error(), e.getMessage());
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        Client client = new Client(async, cursor);
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                clients.remove(client);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                clients.remove(client);
            }

            @Override
            public void onError(AsyncEvent event) {
                clients.remove(client);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        client.write("retry: 2000\n: autotrade event stream\n\n");
        clients.add(client);
        tail.execute(this::poll); // the backlog after Last-Event-ID now, not at the next tick
    }

    /** @return the newest stored event's id, or null when the store is empty */
    private UUID newest() {
        List<DomainEvent<?>> newest = store.query(EventQuery.all().limit(1));
        return newest.isEmpty() ? null : newest.get(0).eventId();
    }

    private void poll() {
        for (Client c : clients) {
            try {
                send(c);
            } catch (IOException | IllegalStateException e) {
                close(c); // the client went away
            } catch (RuntimeException e) {
                logger.warn("event stream: cannot read the journal: {}", e.getMessage());
            }
        }
    }

    private void send(Client c) throws IOException {
        while (true) {
            // no cursor: the store was empty at connect time, so all of it is new (at most what came since)
            List<DomainEvent<?>> events = store.query(c.cursor == null ? EventQuery.all() : EventQuery.all().after(c.cursor).limit(PAGE));
            if (events.isEmpty()) {
                if (System.currentTimeMillis() - c.lastWrite >= HEARTBEAT_MS) {
                    c.write(": keep-alive\n\n");
                }
                return;
            }
            StringBuilder text = new StringBuilder();
            for (DomainEvent<?> e : events) {
                text.append("id: ").append(e.eventId()).append("\ndata: ").append(Json.text(Views.event(e))).append("\n\n");
            }
            c.write(text.toString());
            c.cursor = events.get(events.size() - 1).eventId();
            if (events.size() < PAGE) {
                return;
            }
        }
    }

    private void close(Client c) {
        clients.remove(c);
        try {
            c.async.complete();
        } catch (IllegalStateException e) {
            // already completed
        }
    }
}
