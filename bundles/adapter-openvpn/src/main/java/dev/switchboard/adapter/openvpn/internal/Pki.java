package dev.switchboard.adapter.openvpn.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.switchboard.adapter.openvpn.internal.process.Commands;
import dev.switchboard.api.files.SecureFiles;

/**
 * The server's keys, made once with OpenSSL's and OpenVPN's own command lines: a CA, a server certificate
 * it signs (clients check the server against the CA; they authenticate with their order's password, not a
 * certificate) and a tls-crypt key. Every file is owner-only.
 */
final class Pki {

    static final String CA = "ca.crt";
    static final String CERT = "server.crt";
    static final String KEY = "server.key";
    static final String TLS_CRYPT = "tls-crypt.key";
    private static final String CA_KEY = "ca.key";
    private static final String DAYS = "3650";

    private Pki() {
    }

    /** Creates what is missing in {@code dir}; an existing CA and tls-crypt key are kept. */
    static void ensure(Path dir, Path openssl, Path openvpn, String name) throws IOException {
        SecureFiles.createPrivateDirectories(dir);
        if (!Files.exists(dir.resolve(CA)) || !Files.exists(dir.resolve(CA_KEY))) {
            Commands.run(dir, List.of(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", CA_KEY, "-out", CA, "-days", DAYS,
                    "-subj", "/CN=" + name + " CA"));
            Files.deleteIfExists(dir.resolve(CERT));
        }
        if (!Files.exists(dir.resolve(CERT)) || !Files.exists(dir.resolve(KEY))) {
            Path extensions = dir.resolve("server.ext");
            SecureFiles.writePrivate(extensions, ("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\n"
                    + "extendedKeyUsage=serverAuth\n").getBytes(StandardCharsets.US_ASCII));
            Commands.run(dir, List.of(openssl.toString(), "req", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", KEY, "-out", "server.csr", "-subj",
                    "/CN=" + name));
            Commands.run(dir, List.of(openssl.toString(), "x509", "-req", "-in", "server.csr", "-CA", CA, "-CAkey",
                    CA_KEY, "-CAcreateserial", "-out", CERT, "-days", DAYS, "-extfile", "server.ext"));
            Files.deleteIfExists(dir.resolve("server.csr"));
            Files.deleteIfExists(extensions);
        }
        if (!Files.exists(dir.resolve(TLS_CRYPT))) {
            Commands.run(dir, List.of(openvpn.toString(), "--genkey", "tls-crypt", TLS_CRYPT));
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    SecureFiles.restrictToOwner(file);
                }
            }
        }
    }
}
