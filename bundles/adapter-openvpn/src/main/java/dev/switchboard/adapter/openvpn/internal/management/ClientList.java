package dev.switchboard.adapter.openvpn.internal.management;

import java.util.ArrayList;
import java.util.List;

/** The {@code CLIENT_LIST} rows of a server's {@code status 3} answer (tab-separated). */
public final class ClientList {

    /**
     * One connected client.
     *
     * @param username  the client key it authenticated with
     * @param since     when it connected, seconds since the epoch
     * @param received  bytes received from it
     * @param sent      bytes sent to it
     */
    public record Row(long cid, String username, String realAddress, String vpnAddress, long received, long sent,
            long since) {
    }

    private ClientList() {
    }

    /**
     * @throws IllegalArgumentException when a row lacks a field the adapter needs; the header names them
     */
    public static List<Row> parse(List<String> lines) {
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length > 1 && f[0].equals("HEADER") && f[1].equals("CLIENT_LIST")) {
                header = List.of(f).subList(1, f.length);
            } else if (f[0].equals("CLIENT_LIST")) {
                if (header == null) {
                    throw new IllegalArgumentException("a CLIENT_LIST row before its header");
                }
                rows.add(row(header, f, line));
            }
        }
        return rows;
    }

    private static Row row(List<String> header, String[] f, String line) {
        return new Row(number(field(header, f, "Client ID", line)), field(header, f, "Username", line),
                field(header, f, "Real Address", line), field(header, f, "Virtual Address", line),
                number(field(header, f, "Bytes Received", line)), number(field(header, f, "Bytes Sent", line)),
                number(field(header, f, "Connected Since (time_t)", line)));
    }

    private static String field(List<String> header, String[] f, String name, String line) {
        int i = header.indexOf(name);
        if (i < 0 || i >= f.length) {
            throw new IllegalArgumentException("no " + name + " in the client list: " + line);
        }
        return f[i];
    }

    private static long number(String text) {
        return Long.parseLong(text.trim());
    }
}
