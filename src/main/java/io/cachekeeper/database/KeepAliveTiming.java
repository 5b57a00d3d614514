package io.cachekeeper.database;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * {@link DatabasePool}'s keep-alive timing, set on each new connection to the database. Vert.x 4.5 sets it only
 * on the sockets of a server: for a client it sets {@code SO_KEEPALIVE} alone (and on epoll
 * {@code TCP_USER_TIMEOUT}), so an idle connection to the database was probed at the kernel's timing, two hours
 * by default, on either transport ({@code IdleConnectionsAreProbedTest}). Both transports have the three
 * settings on Linux: epoll as Netty's own options, the JDK's (NIO: the native image,
 * {@code quarkus.vertx.prefer-native-transport=false}) as extended socket options, which GraalVM's native
 * image keeps (libextnet is one of its built-in libraries on Linux).
 */
final class KeepAliveTiming {

    private static final Logger LOG = Logger.getLogger(KeepAliveTiming.class);
    /** Warned once: every connection would fail the same way. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private KeepAliveTiming() {
    }

    /** Sets the keep-alive timing on {@code channel}; false (and a warning, once) if it could not be set. */
    static boolean apply(Channel channel) {
        try {
            boolean set;
            if (channel instanceof EpollSocketChannel) {
                set = set(channel.config(), EpollChannelOption.TCP_KEEPIDLE, EpollChannelOption.TCP_KEEPINTVL,
                        EpollChannelOption.TCP_KEEPCNT);
            } else if (channel instanceof NioSocketChannel) {
                set = set(channel.config(), NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                        NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL),
                        NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT));
            } else {
                set = false;
            }
            if (!set) {
                warn("not supported on " + channel.getClass().getSimpleName());
            }
            return set;
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a runtime without the JDK's native part of the options (libextnet).
            warn(e.toString());
            return false;
        }
    }

    private static boolean set(ChannelConfig config, ChannelOption<Integer> idle, ChannelOption<Integer> interval,
            ChannelOption<Integer> count) {
        return config.setOption(idle, DatabasePool.KEEPALIVE_IDLE_S)
                && config.setOption(interval, DatabasePool.KEEPALIVE_INTERVAL_S)
                && config.setOption(count, DatabasePool.KEEPALIVE_COUNT);
    }

    private static void warn(String why) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warnf("TCP keep-alive timing could not be set on the database connections (%s): idle connections"
                    + " are probed at the kernel's timing (net.ipv4.tcp_keepalive_time)", why);
        }
    }
}
