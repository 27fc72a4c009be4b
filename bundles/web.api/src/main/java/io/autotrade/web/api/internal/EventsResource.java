package io.autotrade.web.api.internal;

import io.autotrade.api.event.EventQuery;
import io.autotrade.api.event.EventStore;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/events?type=&aggregate=&correlation=&since=&after=&limit=}: stored events in append order, as
 * {@code trade:events}. {@code limit} defaults to 50 (the newest 50; with {@code after}, the oldest 50 after that
 * event) and is at most {@value #MAX_LIMIT}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(Api.BASE + "/events")
public class EventsResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    /** Most events one request returns. */
    static final int MAX_LIMIT = 5_000;
    private final transient EventStore store;
    private final transient Logger logger;

    /**
     * @param store   the event store
     * @param loggers the OSGi log
     */
    @Activate
    public EventsResource(@Reference EventStore store, @Reference LoggerFactory loggers) {
        this.store = store;
        this.logger = loggers.getLogger(EventsResource.class);
    }

    @Override
    Logger logger() {
        return logger;
    }

    @Override
    Reply get(HttpServletRequest request) {
        return Reply.ok(store.query(query(request)).stream().map(Views::event).toList());
    }

    /**
     * @return the query the request's parameters describe
     * @throws ApiException 400 naming the parameter that is malformed
     */
    static EventQuery query(HttpServletRequest request) {
        EventQuery q = EventQuery.all().limit(limit(request.getParameter("limit")));
        String aggregate = request.getParameter("aggregate");
        if (aggregate != null && !aggregate.isBlank()) {
            q = q.aggregate(aggregate.strip());
        }
        String type = request.getParameter("type");
        if (type != null && !type.isBlank()) {
            q = q.type(type.strip());
        }
        String correlation = request.getParameter("correlation");
        if (correlation != null && !correlation.isBlank()) {
            q = q.correlation(uuid("correlation", correlation));
        }
        String after = request.getParameter("after");
        if (after != null && !after.isBlank()) {
            q = q.after(uuid("after", after));
        }
        String since = request.getParameter("since");
        if (since != null && !since.isBlank()) {
            try {
                q = q.since(Instant.parse(since.strip()));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("query parameter 'since' must be an ISO-8601 instant such as 2024-01-02T00:00:00Z, was '"
                        + since + "'");
            }
        }
        return q;
    }

    static UUID uuid(String parameter, String value) {
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("query parameter '" + parameter + "' must be a UUID, was '" + value + "'");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return 50;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter 'limit' must be a whole number, was '" + value + "'");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("query parameter 'limit' must be 1.." + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }
}
