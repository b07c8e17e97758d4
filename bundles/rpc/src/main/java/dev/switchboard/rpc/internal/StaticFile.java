package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A file of a web UI found on disk or in a bundle, answered with its content type and the
 * validators a browser revalidates with: {@code ETag}, {@code Last-Modified} and
 * {@code Cache-Control: no-cache}, so that a file an operator replaces is seen on the next load and
 * an unchanged one costs a 304.
 */
final class StaticFile {

    /** Opens the file's bytes. */
    interface Content {
        InputStream open() throws IOException;
    }

    private static final String TEXT = ";charset=utf-8";
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("html", "text/html" + TEXT),
            Map.entry("htm", "text/html" + TEXT), Map.entry("css", "text/css" + TEXT),
            Map.entry("js", "text/javascript" + TEXT), Map.entry("mjs", "text/javascript" + TEXT),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"), Map.entry("txt", "text/plain" + TEXT),
            Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"), Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("wasm", "application/wasm"));

    private final String name;
    private final long length;
    private final long lastModified;
    private final Content content;

    /**
     * @param name         the file's name, for its content type
     * @param length       its size in bytes
     * @param lastModified when it last changed, in milliseconds since the epoch
     */
    StaticFile(String name, long length, long lastModified, Content content) {
        this.name = name;
        this.length = length;
        this.lastModified = lastModified;
        this.content = content;
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    String etag() {
        return "\"" + Long.toHexString(length) + "-" + Long.toHexString(lastModified) + "\"";
    }

    /** Writes the file, or 304 when the browser's copy is current; HEAD gets the headers alone. */
    void write(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("ETag", etag());
        response.setDateHeader("Last-Modified", lastModified);
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (isCurrent(request)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType(name));
        response.setContentLengthLong(length);
        if (!"HEAD".equals(request.getMethod())) {
            try (InputStream in = content.open(); OutputStream out = response.getOutputStream()) {
                in.transferTo(out);
            }
        }
    }

    private boolean isCurrent(HttpServletRequest request) {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            String etag = etag();
            for (String tag : ifNoneMatch.split(",")) {
                String candidate = tag.trim();
                if (candidate.equals("*") || candidate.equals(etag) || candidate.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        try {
            long since = request.getDateHeader("If-Modified-Since");
            return since >= 0 && lastModified / 1000 <= since / 1000;
        } catch (IllegalArgumentException notADate) {
            return false;
        }
    }
}
