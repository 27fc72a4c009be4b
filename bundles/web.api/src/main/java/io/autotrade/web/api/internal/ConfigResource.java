package io.autotrade.web.api.internal;

import io.autotrade.api.config.ConfigGate;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code PUT /api/v1/config/{pid}} with a JSON object of properties, through the core's trade-safe gate as
 * {@code trade:config}: 200 when applied; 202 with the held change while an order it could affect is in flight
 * (applied when that scope is IDLE); with {@code ?no_wait=true}, 409 instead of holding; {@code ?force=true} applies
 * at once (logged). {@code GET /api/v1/pending}: the held changes, as {@code trade:pending}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({Api.BASE + "/config/*", Api.BASE + "/pending"})
public class ConfigResource extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private final transient ConfigGate gate;
    private final transient Logger logger;

    /**
     * @param gate    the core's configuration gate
     * @param loggers the OSGi log
     */
    @Activate
    public ConfigResource(@Reference ConfigGate gate, @Reference LoggerFactory loggers) {
        this.gate = gate;
        this.logger = loggers.getLogger(ConfigResource.class);
    }

    @Override
    Logger logger() {
        return logger;
    }

    @Override
    Reply get(HttpServletRequest request) {
        if (!route(request).equals("/pending")) {
            throw new ApiException(405, "method_not_allowed", "use PUT on " + request.getRequestURI());
        }
        return Reply.ok(gate.pending().stream().map(Views::pending).toList());
    }

    @Override
    Reply put(HttpServletRequest request) throws IOException {
        String route = route(request);
        if (!route.startsWith("/config/") || route.length() == "/config/".length() || route.indexOf('/', "/config/".length()) >= 0) {
            throw ApiException.notFound("no such resource: " + request.getRequestURI() + " (PUT /api/v1/config/{pid})");
        }
        String pid = route.substring("/config/".length());
        boolean noWait = flag(request, "no_wait");
        boolean force = flag(request, "force");
        if (noWait && force) {
            throw ApiException.badRequest("no_wait and force contradict each other");
        }
        Map<String, Object> body = Json.body(request);
        if (body.isEmpty()) {
            throw ApiException.badRequest("request body must name at least one property: {\"key\": \"value\"}");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Object> shown = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw ApiException.badRequest("property '" + e.getKey() + "' must be a string, number or boolean");
            }
            String text = v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString();
            properties.put(e.getKey(), text);
            shown.put(e.getKey(), ConfigGate.SECRET_KEYS.matcher(e.getKey()).matches() ? ConfigGate.MASK : text);
        }
        ConfigGate.Mode mode = force ? ConfigGate.Mode.FORCE : noWait ? ConfigGate.Mode.NO_WAIT : ConfigGate.Mode.WAIT;
        ConfigGate.Result r;
        try {
            r = gate.request(pid, properties, mode, "api");
        } catch (IllegalStateException refused) {
            throw ApiException.conflict("config change " + refused.getMessage());
        }
        Map<String, Object> reply = Json.object("change_id", r.changeId(), "pid", pid, "properties", shown,
                "applied", r.applied(), "forced", force, "waits_for_scope", r.applied() ? null : r.scope(),
                "orders_in_flight", r.waitingFor());
        return new Reply(r.applied() ? 200 : 202, reply);
    }

    private static boolean flag(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw ApiException.badRequest("query parameter '" + name + "' must be true or false, was '" + value + "'");
    }
}
