package io.autotrade.web.api.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.NoSuchElementException;
import org.osgi.service.log.Logger;

/**
 * Base of the API's servlets: a handler per method returns the reply, and every failure becomes a JSON error
 * with its status: {@link ApiException} its own, {@link IllegalArgumentException} 400, {@link NoSuchElementException}
 * 404, {@link IllegalStateException} 409, anything else 500 (logged; the reply says no more than that).
 */
abstract class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** A reply: status and JSON body. */
    record Reply(int status, Object body) {
        static Reply ok(Object body) {
            return new Reply(200, body);
        }
    }

    /** @return the path below the servlet's pattern, e.g. {@code /status} for {@code /api/v1/status} */
    static String route(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.startsWith(Api.BASE) ? path.substring(Api.BASE.length()) : path;
    }

    Reply get(HttpServletRequest request) throws IOException {
        throw methodNotAllowed(request);
    }

    Reply post(HttpServletRequest request) throws IOException {
        throw methodNotAllowed(request);
    }

    Reply put(HttpServletRequest request) throws IOException {
        throw methodNotAllowed(request);
    }

    /** @return where failures other than bad requests are logged, or null */
    abstract Logger logger();

    private static ApiException methodNotAllowed(HttpServletRequest request) {
        return new ApiException(405, "method_not_allowed", request.getMethod() + " is not allowed on " + request.getRequestURI());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, Method.GET);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, Method.POST);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, Method.PUT);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Json.error(response, 405, "method_not_allowed", "DELETE is not allowed on " + request.getRequestURI());
    }

    private enum Method { GET, POST, PUT }

    private void answer(HttpServletRequest request, HttpServletResponse response, Method method) throws IOException {
        Reply reply;
        try {
            reply = switch (method) {
                case GET -> get(request);
                case POST -> post(request);
                case PUT -> put(request);
            };
        } catch (ApiException e) {
            Json.error(response, e.status(), e.error(), e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            Json.error(response, 400, "bad_request", e.getMessage());
            return;
        } catch (NoSuchElementException e) {
            Json.error(response, 404, "not_found", e.getMessage());
            return;
        } catch (IllegalStateException e) {
            Json.error(response, 409, "conflict", e.getMessage());
            return;
        } catch (RuntimeException e) {
            Logger log = logger();
            if (log != null) {
                log.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString(), e);
            }
            Json.error(response, 500, "internal_error", "the request failed inside the runtime; the log has the details");
            return;
        }
        Json.write(response, reply.status(), reply.body());
    }
}
