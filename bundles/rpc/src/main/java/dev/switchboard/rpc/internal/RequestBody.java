package dev.switchboard.rpc.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An HTTP request's body, as sent or, with {@code Content-Encoding: gzip}, decoded; bounded by the
 * largest request before and after decoding, so that a small compressed body cannot unpack into
 * gigabytes. Any other encoding is refused with 415, never parsed as if it were JSON.
 */
final class RequestBody {

    /** Why a body was not read: the HTTP status and what was wrong, in words. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private RequestBody() {
    }

    static byte[] read(HttpServletRequest request, int max) throws IOException, Refused {
        String encoding = request.getHeader("Content-Encoding");
        boolean gzip = false;
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            if (!encoding.trim().toLowerCase(Locale.ROOT).matches("x-gzip|gzip")) {
                throw new Refused(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                        "Content-Encoding " + encoding + " is not supported: send the body as it is, or gzip");
            }
            gzip = true;
        }
        if (request.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            throw tooLarge(max);
        }
        return gzip ? gunzip(body, max) : body;
    }

    private static byte[] gunzip(byte[] compressed, int max) throws Refused {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        } catch (IOException e) { // ZipException, EOFException: what the client sent
            throw new Refused(HttpServletResponse.SC_BAD_REQUEST, "the body is not valid gzip: " + e.getMessage());
        }
    }

    private static Refused tooLarge(int max) {
        return new Refused(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request larger than " + max + " bytes");
    }
}
