package io.autotrade.web.dashboard.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /} (and {@code /dashboard}): sends the browser to the dashboard's page. As the context's default servlet
 * (pattern {@code /}, Servlet 6.0, 12.2) it also answers every path nothing else serves: 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/", "/dashboard"})
public class RootRedirect extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.isEmpty() || path.equals("/") || path.equals("/dashboard")) {
            response.sendRedirect("/dashboard/index.html");
            return;
        }
        response.sendError(404, "no such page: the dashboard is at /dashboard/index.html, the API under /api/v1");
    }
}
