package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpStatus;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.api.jsonrpc.ErrorCode;

/**
 * The body of an HTTP error, wherever it is raised (the transport, another servlet, Jetty before
 * any servlet): a JSON-RPC error object with a null id, so that a client expecting JSON-RPC never
 * gets an HTML page. Jetty does not keep the path of a request it could not parse, so every path
 * gets the same shape.
 */
final class HttpErrorBody {

    static final String CONTENT_TYPE = "application/json;charset=utf-8";

    private HttpErrorBody() {
    }

    /** @param detail what was wrong, in words; null for the status's own reason */
    static byte[] of(int status, String detail) {
        ObjectNode error = Json.MAPPER.createObjectNode();
        if (status == HttpStatus.SERVICE_UNAVAILABLE_503) {
            error.put("code", Dispatcher.SERVER_BUSY).put("message", "Server busy.");
        } else {
            ErrorCode code = status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
            error.put("code", code.code()).put("message", code.message());
        }
        error.put("data", detail == null || detail.isBlank() ? status + " " + HttpStatus.getMessage(status) : detail);
        ObjectNode body = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").putNull("id");
        body.set("error", error);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Answers a servlet request with the error (no body for HEAD). */
    static void write(HttpServletRequest request, HttpServletResponse response, int status, String detail)
            throws IOException {
        byte[] body = of(status, detail);
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
