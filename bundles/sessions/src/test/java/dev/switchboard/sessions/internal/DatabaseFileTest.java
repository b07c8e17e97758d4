package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.TemplateKind;

/**
 * The embedded database's folder and files are the owner's whatever the umask (this JVM's is the usual 022),
 * and a database whose files were removed while the host runs is reported and refused, not written to.
 */
class DatabaseFileTest {

    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final String SCHEMA = "{\"type\":\"object\"}";

    @TempDir
    Path home;

    @Test
    void aFreshFolderAndEveryFileH2CreatesInItAreOwnerOnly() throws Exception {
        Path dir = home.resolve("data/sessions");
        try (Database database = Database.openFile(dir, "", "", 2, 2000)) {
            new SessionsPlugin(database, 10_000, System::currentTimeMillis).sessions()
                    .registerTemplate(TemplateKind.OFFER, SCHEMA);
            assertThat(Files.getPosixFilePermissions(home.resolve("data"))).isEqualTo(OWNER_DIR);
            assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(OWNER_DIR);
            List<Path> files = list(dir);
            assertThat(files).contains(dir.resolve("sessions.mv.db"));
            for (Path file : files) {
                assertThat(Files.getPosixFilePermissions(file)).as(file.toString()).isEqualTo(OWNER_FILE);
            }
        }
    }

    @Test
    void aFolderOpenToOthersIsMadeOwnerOnly() throws Exception {
        Path dir = Files.createDirectories(home.resolve("sessions"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Database database = Database.openFile(dir, "", "", 2, 2000)) {
            assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(OWNER_DIR);
        }
    }

    @Test
    void removedFilesTakeTheHealthCheckDownRefuseEveryCallAndAreLoggedOnce() throws Exception {
        Path dir = home.resolve("data/sessions");
        DatabaseHealthCheck check = new DatabaseHealthCheck();
        try (Database database = Database.openFile(dir, "", "", 2, 2000)) {
            Sessions sessions = new SessionsPlugin(database, 10_000, System::currentTimeMillis).sessions();
            sessions.registerTemplate(TemplateKind.OFFER, SCHEMA);
            assertThat(new Result(check.evaluate(Map.of("Sessions", database))).getStatus()).isEqualTo(Result.Status.OK);

            deleteTree(home.resolve("data"));

            String logged = stderrOf(() -> {
                Result result = new Result(check.evaluate(Map.of("Sessions", database)));
                assertThat(result.getStatus()).isEqualTo(Result.Status.CRITICAL);
                assertThat(result.toString()).contains("Sessions: the database cannot be reached",
                        "sessions.mv.db was removed while the host runs");
                for (int i = 0; i < 3; i++) {
                    assertRefused(() -> sessions.registerTemplate(TemplateKind.ACCESS, "{\"required\":[\"u\"]}"));
                    assertRefused(() -> sessions.orders(null, null));
                }
                assertThat(database.fileRemoved()).isTrue();
            });
            assertThat(logged.lines().filter(line -> line.contains("ERROR")).toList()).hasSize(1)
                    .allMatch(line -> line.contains("sessions.mv.db was removed while the host runs"));
        } finally {
            check.deactivate();
        }
    }

    @Test
    void aFileReplacedByAnotherIsRefusedToo() throws Exception {
        Path dir = home.resolve("sessions");
        try (Database database = Database.openFile(dir, "", "", 2, 2000)) {
            Sessions sessions = new SessionsPlugin(database, 10_000, System::currentTimeMillis).sessions();
            sessions.registerTemplate(TemplateKind.OFFER, SCHEMA);
            // a restore from a backup while the host runs: same name, another file
            Path file = dir.resolve("sessions.mv.db");
            Path copy = home.resolve("copy.mv.db");
            Files.copy(file, copy);
            Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING);

            assertRefused(() -> sessions.registerTemplate(TemplateKind.ACCESS, "{\"required\":[\"u\"]}"));
        }
    }

    private static void assertRefused(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SessionsException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.DATABASE_UNAVAILABLE);
            assertThat(RpcErrors.of(e).code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE.code());
            assertThat(e.detail()).contains("removed while the host runs");
        });
    }

    /** What the loggers (slf4j-simple, on stderr) wrote while {@code work} ran. */
    private static String stderrOf(Runnable work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        original.print(text);
        return text;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
