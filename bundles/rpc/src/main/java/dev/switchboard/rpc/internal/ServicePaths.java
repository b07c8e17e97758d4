package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.plugin.PluginConstants;

/**
 * Thunder's {@code /Service/<Callsign>} paths over HTTP: the Controller's legacy REST calls
 * ({@link ControllerRest}) and plugins' web UIs ({@link WebUis}). A trailing slash names the same
 * thing as none; anything else is answered 404 with a JSON-RPC error body.
 */
final class ServicePaths {

    static final String PREFIX = "/Service";
    static final String UI = "UI";

    /** Answers a JSON-RPC message from an HTTP client within its budget, or null once a refusal is written. */
    interface Calls {
        Dispatcher.Answer answer(JsonNode message, HttpServletRequest request, HttpServletResponse response)
                throws IOException;
    }

    private final Calls calls;
    private final WebUis webUis;

    ServicePaths(Calls calls, WebUis webUis) {
        this.calls = calls;
        this.webUis = webUis;
    }

    /** Whether the path after {@code /Service} names the Controller itself. */
    static boolean isController(String pathInfo) {
        return List.of(PluginConstants.CONTROLLER).equals(segments(pathInfo));
    }

    /** The path's segments after {@code /Service}, without the empty one a trailing slash leaves. */
    static List<String> segments(String pathInfo) {
        if (pathInfo == null || pathInfo.length() <= 1) {
            return List.of();
        }
        String path = pathInfo.endsWith("/") ? pathInfo.substring(1, pathInfo.length() - 1) : pathInfo.substring(1);
        return Arrays.asList(path.split("/", -1));
    }

    void serve(HttpServletRequest request, HttpServletResponse response, Cors cors) throws IOException {
        List<String> segments = segments(request.getPathInfo());
        if (segments.isEmpty()) {
            HttpErrorBody.write(request, response, HttpServletResponse.SC_BAD_REQUEST,
                    "after " + PREFIX + "/ a callsign is expected");
            return;
        }
        if (segments.size() >= 2 && segments.get(1).equals(UI)) {
            webUis.serve(request, response, cors, segments.get(0));
            return;
        }
        ControllerRest.Route route = PluginConstants.CONTROLLER.equals(segments.get(0))
                ? ControllerRest.route(segments.subList(1, segments.size()))
                : null;
        if (route == null) {
            HttpErrorBody.write(request, response, HttpServletResponse.SC_NOT_FOUND, "nothing is served on "
                    + LogText.quote(request.getRequestURI()) + ": the Controller's REST calls are under " + PREFIX
                    + "/Controller, a plugin's web UI under " + PREFIX + "/<Callsign>/UI/");
            return;
        }
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            cors.options(request, response, route.methods());
            return;
        }
        if (!route.methods().contains(method)) {
            response.setHeader("Allow", String.join(", ", route.methods()));
            HttpErrorBody.write(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    LogText.quote(request.getRequestURI()) + " is called with " + route.methods().iterator().next()
                            + ", not " + LogText.quote(method));
            return;
        }
        Dispatcher.Answer answer = calls.answer(route.request(), request, response);
        if (answer == null) {
            return;
        }
        JsonNode error = answer.body().get("error");
        if (error != null) {
            int status = ControllerRest.status(error.path("code").asInt(), answer.unauthenticated());
            if (status == HttpServletResponse.SC_UNAUTHORIZED) {
                response.setHeader("WWW-Authenticate", "Bearer");
            }
            JsonRpcServlet.writeJson(response, status, answer.body());
            return;
        }
        JsonNode body = ControllerRest.body(route.shape(), answer.body().get("result"));
        if (body == null) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentLength(0);
        } else {
            JsonRpcServlet.writeJson(response, HttpServletResponse.SC_OK, body);
        }
    }
}
