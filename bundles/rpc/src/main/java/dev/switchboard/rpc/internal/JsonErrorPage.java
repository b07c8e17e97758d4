package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers HTTP errors in JSON ({@link HttpErrorBody}) instead of Jetty's HTML page: as the
 * whiteboard's default servlet (a path no servlet serves is 404), as its error page for 4xx and
 * 5xx raised by a servlet ({@code sendError}), and as the Jetty server's error handler for
 * requests refused before any servlet sees them (a bad percent-encoding, headers too large). The
 * server's previous handler is put back when this page goes.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=4xx",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ERROR_PAGE + "=5xx",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=switchboard-json-errors" })
public class JsonErrorPage extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorPage.class);

    private transient Server server;
    private transient Request.Handler previous;
    private transient Request.Handler installed;

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        ServletContextHandler handler = jettyContext(config.getServletContext());
        if (handler == null || handler.getServer() == null) {
            LOG.warn("Jetty's server is out of reach: requests refused before any servlet keep Jetty's HTML error page");
            return;
        }
        server = handler.getServer();
        previous = server.getErrorHandler();
        installed = new ServerErrors();
        server.setErrorHandler(installed);
    }

    /**
     * Jetty's own context under the whiteboard's: Felix HTTP wraps it in delegating contexts and
     * offers no other way to the server outside a request.
     */
    private static ServletContextHandler jettyContext(ServletContext context) {
        Object current = context;
        for (int depth = 0; depth < 8 && current instanceof ServletContext wrapper; depth++) {
            if (wrapper instanceof ServletContextHandler.ServletContextApi) {
                return ServletContextHandler.getServletContextHandler(wrapper);
            }
            current = delegate(wrapper);
        }
        return null;
    }

    private static Object delegate(Object wrapper) {
        for (Class<?> type = wrapper.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (ServletContext.class.isAssignableFrom(field.getType()) && !Modifier.isStatic(field.getModifiers())) {
                    try {
                        field.setAccessible(true);
                        return field.get(wrapper);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void destroy() {
        if (server != null && server.getErrorHandler() == installed) {
            server.setErrorHandler(previous);
        }
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // called as the default servlet: no other servlet serves this path
        int code = status instanceof Integer i ? i : HttpServletResponse.SC_NOT_FOUND;
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        HttpErrorBody.write(request, response, code, message == null ? null : message.toString());
    }

    /** Jetty's handler for errors raised outside any servlet context, writing the same JSON. */
    static final class ServerErrors extends ErrorHandler {

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                Callback callback) {
            byte[] body = HttpErrorBody.of(code, message);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpErrorBody.CONTENT_TYPE);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, HttpErrorBody.CONTENT_TYPE);
            return ByteBuffer.wrap(HttpErrorBody.of(status, reason));
        }
    }
}
