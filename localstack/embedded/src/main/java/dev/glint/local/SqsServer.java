package dev.glint.local;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.CreateQueueMetadata;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.util.Either;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * ElasticMQ speaking the SQS API on loopback. With a data folder, queues (with their redrive
 * policies) and messages (with their receive counts) are kept in an H2 file and restored before
 * the port opens, so a restart, even after a SIGKILL, loses nothing that was acknowledged.
 */
final class SqsServer implements AutoCloseable {

    private final ActorSystem system;
    private final SQSRestServer server;
    private final int port;
    private final boolean persistent;

    private SqsServer(ActorSystem system, SQSRestServer server, int port, boolean persistent) {
        this.system = system;
        this.server = server;
        this.port = port;
        this.persistent = persistent;
    }

    /** @param dataDir where queues and messages are kept, or {@code null} for memory only */
    static SqsServer start(Path dataDir) throws Exception {
        ActorSystem system = ActorSystem.create("glint-sqs-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Option<ActorRef> persistence = Option.empty();
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                // WRITE_DELAY=0: H2 otherwise delays commits by 500 ms, and a SIGKILL in that window loses
                // messages ElasticMQ had already acknowledged.
                String uri = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("elasticmq") + ";WRITE_DELAY=0";
                // ElasticMQ opens its database through scalikejdbc's JVM-wide pool only once per JVM; point the
                // pool at this folder so a restart in the same JVM (tests) uses the right database.
                ConnectionPool$ pool = ConnectionPool$.MODULE$;
                ConnectionPoolSettings settings = pool.singleton$default$4();
                pool.singleton(uri, "", "", settings, pool.singleton$default$5(uri, "", "", settings));
                SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", uri, "", "", false);
                persistence = Option.apply(system.actorOf(Props.create(SqlQueuePersistenceActor.class, config,
                        scala.collection.immutable.List$.MODULE$.<CreateQueueMetadata>empty())));
            }
            ActorRef queueManager = system.actorOf(Props.create(QueueManagerActor.class,
                    new NowProvider(), StrictSQSLimits$.MODULE$, persistence));
            if (persistence.isDefined()) {
                Object restored = Patterns.ask(persistence.get(), new QueueEvent.Restore(queueManager), Duration.ofSeconds(30))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (restored instanceof Either<?, ?> either && either.isLeft()) {
                    throw new IllegalStateException("queues in " + dataDir + " could not be restored: " + either.left().get());
                }
            }
            SQSRestServer server = SQSRestServerBuilder.withActorSystem(system).withQueueManagerActor(queueManager)
                    .withInterface("127.0.0.1").withDynamicPort().start();
            int port = server.waitUntilStarted().localAddress().getPort();
            return new SqsServer(system, server, port, dataDir != null);
        } catch (Exception | Error e) {
            system.terminate();
            throw e;
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        server.stopAndWait();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (persistent) {
            ConnectionPool$.MODULE$.closeAll();
        }
    }
}
