package io.autotrade.web.health.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /system/health[?tags=a,b]}: runs the health checks tagged {@code autotrade} (or the given tags) through
 * Felix's {@link HealthCheckExecutor} and answers JSON {@code {status, checks: [{name, status, messages, elapsed_ms,
 * timed_out}]}}: 200 while the worst status is OK or WARN, 503 when a check is CRITICAL, timed out, or failed
 * (HEALTH_CHECK_ERROR, TEMPORARILY_UNAVAILABLE). Needs the bearer token like the API.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/system/health")
public class HealthResource extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final transient HealthCheckExecutor executor;

    /** @param executor Felix's health check executor */
    @Activate
    public HealthResource(@Reference HealthCheckExecutor executor) {
        this.executor = executor;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String tags = request.getParameter("tags");
        String[] selected = tags == null || tags.isBlank() ? new String[] {AutotradeHealthChecks.TAG} : tags.split(",");
        List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags(selected));
        Result.Status worst = Result.Status.OK;
        List<Object> checks = new ArrayList<>();
        for (HealthCheckExecutionResult r : results) {
            Result result = r.getHealthCheckResult();
            Result.Status status = r.hasTimedOut() ? Result.Status.CRITICAL : result.getStatus();
            if (status.ordinal() > worst.ordinal()) {
                worst = status;
            }
            List<Object> messages = new ArrayList<>();
            for (ResultLog.Entry e : result) {
                if (!e.isDebug()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("status", e.getStatus().name());
                    m.put("message", e.getMessage());
                    messages.add(m);
                }
            }
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", r.getHealthCheckMetadata().getName());
            check.put("status", status.name());
            check.put("messages", messages);
            check.put("elapsed_ms", r.getElapsedTimeInMs());
            check.put("timed_out", r.hasTimedOut());
            checks.add(check);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", worst.name());
        body.put("checks", checks);
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(healthy(worst) ? 200 : 503);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** @return whether the status lets the runtime be called healthy: OK or WARN */
    static boolean healthy(Result.Status status) {
        return status == Result.Status.OK || status == Result.Status.WARN;
    }
}
