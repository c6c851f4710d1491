package dev.glint.local;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import java.net.URI;
import java.nio.file.Path;

/** ElasticMQ speaking the SQS API on loopback. */
final class SqsServer implements AutoCloseable {

    private final SQSRestServer server;
    private final int port;

    private SqsServer(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static SqsServer start(Path dataDir) {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new SqsServer(server, port);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
