package io.autotrade.web.api.internal;

import io.autotrade.api.event.EventBusAdmin;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/v1/bus} (each lane, as {@code trade:bus}, and the journal's fault if it refuses commits) and
 * {@code GET /api/v1/dlq} (the dead letters, as {@code trade:dlq list}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({Api.BASE + "/bus", Api.BASE + "/dlq"})
public class BusResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private final transient EventBusAdmin bus;
    private final transient Logger logger;

    /**
     * @param bus     lane statistics and dead letters
     * @param loggers the OSGi log
     */
    @Activate
    public BusResource(@Reference EventBusAdmin bus, @Reference LoggerFactory loggers) {
        this.bus = bus;
        this.logger = loggers.getLogger(BusResource.class);
    }

    @Override
    Logger logger() {
        return logger;
    }

    @Override
    Reply get(HttpServletRequest request) {
        if (route(request).equals("/bus")) {
            return Reply.ok(Json.object("lanes", bus.statistics().stream().map(Views::lane).toList(),
                    "journal_fault", bus.journalFault()));
        }
        return Reply.ok(bus.deadLetters().stream().map(Views::letter).toList());
    }
}
