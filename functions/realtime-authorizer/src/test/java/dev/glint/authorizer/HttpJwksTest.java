package dev.glint.authorizer;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpJwksTest {

    @Test
    void callersWhoArriveWhileTheKeySetIsFetchedWaitForItInsteadOfRefusingAGoodKey() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"" + b64.encodeToString(unsigned(key.getModulus().toByteArray()))
                + "\",\"e\":\"" + b64.encodeToString(key.getPublicExponent().toByteArray()) + "\"}]}";
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch allAsking = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            try {
                allAsking.await(); // slow enough that the other callers arrive during the fetch
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            HttpJwks keys = new HttpJwks(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json"), Clock.systemUTC());
            List<Future<Optional<RSAPublicKey>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(callers.submit(() -> keys.key("k1")));
            }
            Thread.sleep(100);
            allAsking.countDown();
            for (Future<Optional<RSAPublicKey>> answer : answers) {
                assertTrue(answer.get().isPresent(), "every concurrent caller gets the key");
                assertEquals(key.getModulus(), answer.get().get().getModulus());
            }
            assertEquals(1, fetches.get(), "fetched once");
        } finally {
            callers.shutdownNow();
            server.stop(0);
        }
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
