package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.BundleEvent;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.config.LogThrottle;
import dev.switchboard.api.files.Home;
import dev.switchboard.api.plugin.PluginConstants;

/**
 * Plugins' web UIs, as Thunder serves them: static files on {@code /Service/<Callsign>/UI/}, while
 * the plugin is active, from the folder its {@value PluginConstants#WEBUI} setting names (relative
 * to {@code switchboard.home}), then from the bundles whose manifest says
 * {@code Switchboard-WebUI: <Callsign>;folder=<folder in the bundle>}, so that a file an operator
 * drops into the folder overrides the bundle's. A folder is answered with its {@code index.html},
 * never a listing; a path with {@code .} or {@code ..} segments, hidden names or a symbolic link
 * leading out of the folder is not found.
 */
@Component(service = WebUis.class)
public class WebUis {

    static final String HEADER = "Switchboard-WebUI";
    static final Set<String> METHODS = Cors.methods("GET", "HEAD", "OPTIONS");
    static final int MAX_PATH_CHARS = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebUis.class);
    /** A folder that is missing or a link that leads out is said once a minute per folder. */
    private static final LogThrottle PROBLEMS = new LogThrottle(Duration.ofMinutes(1), 1024, 20);

    /** A bundle's folder of UI files for one callsign. */
    record BundleFolder(String callsign, Bundle bundle, String folder) {
    }

    private final ConfigurationAdmin configurationAdmin;
    private final PluginRegistry registry;
    private final Path home;
    private final BundleTracker<List<BundleFolder>> bundles;

    @Activate
    public WebUis(BundleContext context, @Reference ConfigurationAdmin configurationAdmin, @Reference PluginRegistry registry) {
        this.configurationAdmin = configurationAdmin;
        this.registry = registry;
        this.home = Home.of(context.getProperty(Home.PROPERTY));
        this.bundles = new BundleTracker<>(context, Bundle.ACTIVE, null) {
            @Override
            public List<BundleFolder> addingBundle(Bundle bundle, BundleEvent event) {
                String header = bundle.getHeaders("").get(HEADER);
                return header == null ? null : declared(bundle, header);
            }
        };
        bundles.open();
    }

    @Deactivate
    void deactivate() {
        bundles.close();
    }

    /** {@code Callsign;folder=path, Other;folder=path}: malformed entries are logged and skipped. */
    static List<BundleFolder> declared(Bundle bundle, String header) {
        List<BundleFolder> folders = new ArrayList<>();
        for (String entry : header.split(",")) {
            String[] parts = entry.trim().split("\\s*;\\s*folder\\s*=\\s*", 2);
            String folder = parts.length == 2 ? parts[1].replace("\"", "").replaceAll("^/+|/+$", "") : "";
            if (!ControllerRest.isCallsign(parts[0]) || folder.isEmpty() || folder.contains("..")) {
                LOG.error("Bundle {} declares {} {}: expected <Callsign>;folder=<folder in the bundle>",
                        bundle.getSymbolicName(), HEADER, LogText.quote(entry));
                continue;
            }
            folders.add(new BundleFolder(parts[0], bundle, folder));
        }
        return folders.isEmpty() ? null : folders;
    }

    void serve(HttpServletRequest request, HttpServletResponse response, Cors cors, String callsign) throws IOException {
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            cors.options(request, response, METHODS);
            return;
        }
        if (!METHODS.contains(method)) {
            response.setHeader("Allow", String.join(", ", METHODS));
            HttpErrorBody.write(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    "a web UI is read with GET, not " + LogText.quote(method));
            return;
        }
        String prefix = "/" + callsign + "/" + ServicePaths.UI;
        String rest = request.getPathInfo().substring(prefix.length());
        if (rest.isEmpty()) {
            redirectToFolder(request, response);
            return;
        }
        String relative = rest.substring(1);
        if (!ControllerRest.isCallsign(callsign) || registry.find(callsign) == null) {
            notFound(request, response, "no plugin " + LogText.quote(callsign) + " is active");
            return;
        }
        if (!isSafe(relative)) {
            notFound(request, response, "not a file of the web UI of " + callsign);
            return;
        }
        boolean folder = relative.isEmpty() || relative.endsWith("/");
        List<Object> sources = sources(callsign);
        if (sources.isEmpty()) {
            notFound(request, response, callsign + " has no web UI");
            return;
        }
        for (Object source : sources) {
            StaticFile file = source instanceof Path root ? file(root, relative, folder, callsign)
                    : file((BundleFolder) source, relative, folder);
            if (file != null) {
                file.write(request, response);
                return;
            }
            if (!folder && isFolder(source, relative)) {
                redirectToFolder(request, response);
                return;
            }
        }
        notFound(request, response, "no file " + LogText.quote(relative) + " in the web UI of " + callsign);
    }

    /** No empty, dot or hidden segment, no backslash or NUL, a bounded length: nothing can name a file outside. */
    static boolean isSafe(String relative) {
        if (relative.length() > MAX_PATH_CHARS || relative.indexOf('\\') >= 0 || relative.indexOf('\0') >= 0
                || relative.indexOf(':') >= 0) {
            return false;
        }
        String[] segments = relative.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            if (segments[i].isEmpty() ? !last : segments[i].startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    /** The folder the callsign's configuration names, when it exists, then the bundles' folders. */
    private List<Object> sources(String callsign) {
        List<Object> sources = new ArrayList<>();
        String configured = configuredFolder(callsign);
        if (configured != null) {
            try {
                Path root = home.resolve(configured).normalize();
                if (Files.isDirectory(root)) {
                    sources.add(root);
                } else if (PROBLEMS.admit(root.toString()) != null) {
                    LOG.warn("The web UI folder {} of {} does not exist", root, callsign);
                }
            } catch (InvalidPathException e) {
                if (PROBLEMS.admit(configured) != null) {
                    LOG.warn("The webui setting of {} is no path: {}", callsign, LogText.quote(configured));
                }
            }
        }
        bundles.getTracked().values().stream().flatMap(List::stream)
                .filter(b -> b.callsign().equals(callsign))
                .sorted(Comparator.comparingLong(b -> b.bundle().getBundleId()))
                .forEach(sources::add);
        return sources;
    }

    private String configuredFolder(String callsign) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(" + PluginConstants.CALLSIGN + "=" + callsign + ")");
            Object value = found == null || found.length == 0 || found[0].getProperties() == null ? null
                    : found[0].getProperties().get(PluginConstants.WEBUI);
            return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).trim();
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot read the configuration of {}: {}", callsign, e.getMessage());
            return null;
        }
    }

    private static StaticFile file(Path root, String relative, boolean folder, String callsign) {
        try {
            Path candidate = root.resolve(folder ? relative + "index.html" : relative).normalize();
            if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
                return null;
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                if (PROBLEMS.admit(candidate.toString()) != null) {
                    LOG.warn("Not serving {} of the web UI of {}: a link leads out of {} to {}", LogText.quote(relative),
                            callsign, root, real);
                }
                return null;
            }
            return new StaticFile(real.getFileName().toString(), Files.size(real),
                    Files.getLastModifiedTime(real).toMillis(), () -> Files.newInputStream(real));
        } catch (IOException | InvalidPathException e) {
            return null; // a name too long, a file removed meanwhile: not found
        }
    }

    private static StaticFile file(BundleFolder source, String relative, boolean folder) {
        String name = folder ? relative + "index.html" : relative;
        URL entry = source.bundle().getEntry(source.folder() + "/" + name);
        if (entry == null || entry.getPath().endsWith("/")) {
            return null;
        }
        try {
            URLConnection connection = entry.openConnection();
            long length = connection.getContentLengthLong();
            // named as the file it is, index.html for a folder, so that its content type is right
            return length < 0 ? null : new StaticFile(name, length, source.bundle().getLastModified(), entry::openStream);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isFolder(Object source, String relative) {
        if (source instanceof Path root) {
            Path candidate = root.resolve(relative).normalize();
            return candidate.startsWith(root) && Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS);
        }
        BundleFolder bundle = (BundleFolder) source;
        return bundle.bundle().getEntry(bundle.folder() + "/" + relative + "/") != null;
    }

    /** A folder is named with a trailing slash, so that the page's relative links resolve inside it. */
    private static void redirectToFolder(HttpServletRequest request, HttpServletResponse response) {
        String query = request.getQueryString();
        response.setHeader("Location", request.getRequestURI() + "/" + (query == null ? "" : "?" + query));
        response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
    }

    private static void notFound(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        HttpErrorBody.write(request, response, HttpServletResponse.SC_NOT_FOUND, detail);
    }
}
