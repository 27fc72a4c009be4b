package io.autotrade.web.api.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Every request to the API ({@code /api/*}), the metrics ({@code /metrics}) and the health checks ({@code /system/*})
 * needs {@code Authorization: Bearer <token>}, the token of {@link ApiToken} in the runtime's data folder (framework
 * property {@value #DATA_DIR}). Without it, or with another: 401 with a JSON error that says only that, and
 * {@code WWW-Authenticate: Bearer} (RFC 6750, section 3). The dashboard's static page needs no token: it holds no
 * data and asks for the token itself.
 *
 * <p>On activation it prints where the dashboard is and where the token is kept (never the token).
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern({"/api/*", "/metrics", "/system/*"})
@HttpWhiteboardFilterAsyncSupported
public class TokenFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    /** Framework property: the runtime's data folder. */
    static final String DATA_DIR = "autotrade.data.dir";
    private final transient ApiToken token;

    /**
     * @param context to read {@value #DATA_DIR} (the bundle's data area when it is not set)
     * @param runtime the HTTP whiteboard runtime, for the address it listens on
     */
    @Activate
    public TokenFilter(BundleContext context, @Reference(service = HttpServiceRuntime.class) ServiceReference<?> runtime) {
        String dir = context.getProperty(DATA_DIR);
        Path folder = dir == null || dir.isBlank() ? context.getDataFile("").toPath() : Paths.get(dir);
        this.token = ApiToken.load(folder);
        System.out.println("dashboard and REST API: " + endpoint(runtime.getProperty(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT))
                + " (bearer token in " + token.file() + ")");
    }

    /** @return the first endpoint the runtime names, e.g. {@code http://127.0.0.1:8181/} */
    static String endpoint(Object property) {
        if (property instanceof String s) {
            return s;
        }
        if (property instanceof String[] a && a.length > 0) {
            return a[0];
        }
        if (property instanceof java.util.Collection<?> c && !c.isEmpty()) {
            return String.valueOf(c.iterator().next());
        }
        return "(the HTTP runtime names no address)";
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!token.accepts(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"autotrade\"");
            Json.error(response, 401, "unauthorized", "missing or wrong bearer token");
            return;
        }
        chain.doFilter(request, response);
    }
}
