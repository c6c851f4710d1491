package dev.glint.local.http;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Every JDK HTTP server of the local stack starts here, so the JDK's limits it reads once per JVM are set
 * before the first one: the JDK's server drops the connection, with no answer, when a request line and
 * its headers pass 384 KB (its default {@code sun.net.httpserver.maxReqHeaderSize}); the local gateway
 * must see lines up to 64 MB to answer them 414 as API Gateway does.
 */
public final class JdkHttpServers {

    static final String MAX_HEADER_SIZE = "sun.net.httpserver.maxReqHeaderSize";

    static {
        if (System.getProperty(MAX_HEADER_SIZE) == null) {
            System.setProperty(MAX_HEADER_SIZE, Integer.toString(64 * 1024 * 1024));
        }
    }

    private JdkHttpServers() {
    }

    /** A server bound to the loopback address (port 0: a free one), not started. */
    public static HttpServer loopback(int port, int backlog) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), backlog);
    }
}
