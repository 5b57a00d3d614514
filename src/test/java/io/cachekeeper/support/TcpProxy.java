package io.cachekeeper.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback that a test controls, standing for the network between the service and
 * PostgreSQL. {@link #blackhole()} stops forwarding without closing either side (a partition: both ends
 * keep their connections, nothing arrives), {@link #restore()} forwards again, and {@link #switchTo}
 * sends new connections to another server while every existing one stays blackholed for good (a
 * failover whose old primary never answers again).
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile int targetPort;
    private int generation;
    private boolean blackholed;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept", this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    public void blackhole() {
        synchronized (gate) {
            blackholed = true;
        }
    }

    public void restore() {
        synchronized (gate) {
            blackholed = false;
            gate.notifyAll();
        }
    }

    /** New connections go to {@code port}; those made before stay blackholed until the proxy closes. */
    public void switchTo(int port) {
        synchronized (gate) {
            targetPort = port;
            generation++;
            blackholed = false;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                accepted.incrementAndGet();
                int born;
                synchronized (gate) {
                    born = generation;
                }
                daemon("proxy-connect", () -> connect(client, born));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client, int born) {
        try {
            awaitOpen(born);
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(upstream);
            daemon("proxy-up", () -> pump(client, upstream, born));
            daemon("proxy-down", () -> pump(upstream, client, born));
        } catch (IOException | InterruptedException e) {
            quietlyClose(client);
        }
    }

    /** Bytes read while blackholed are held, not dropped: they go on when (if) the way opens again. */
    private void pump(Socket from, Socket to, int born) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                awaitOpen(born);
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed
        } finally {
            quietlyClose(from);
            quietlyClose(to);
        }
    }

    private void awaitOpen(int born) throws InterruptedException, IOException {
        synchronized (gate) {
            while ((blackholed || born != generation) && !closed) {
                gate.wait();
            }
        }
        if (closed) {
            throw new IOException("proxy closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        quietlyClose(server);
        sockets.forEach(TcpProxy::quietlyClose);
    }

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void quietlyClose(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
