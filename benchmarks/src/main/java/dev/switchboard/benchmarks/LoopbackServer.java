package dev.switchboard.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A blocking server on 127.0.0.1 for the benchmarks' clients: an acceptor thread hands each connection to
 * {@code serve} on a thread of its own (daemon threads named after the server).
 */
final class LoopbackServer implements AutoCloseable {

    private final String name;
    private final Consumer<Socket> serve;
    private final ServerSocket server;
    private final ExecutorService workers;

    LoopbackServer(String name, int backlog, Consumer<Socket> serve) throws IOException {
        this.name = name;
        this.serve = serve;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        server = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, name + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                workers.execute(() -> serve.accept(socket));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.out.println(name + " server: " + e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        workers.shutdownNow();
    }
}
