package dev.glint.api;

import dev.glint.shared.config.GlintConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebConfigTest {

    private static String refusal(Map<String, String> env) {
        return assertThrows(GlintConfig.ConfigurationException.class, () -> WebConfig.fromEnv(env)).getMessage();
    }

    @Test
    void aDeployedStageSignsInThroughItsUserPoolDomainAndListensOnItsWebSocketApi() {
        WebConfig web = WebConfig.fromEnv(Map.of(
                "GLINT_WEB_SIGN_IN_URL", "https://glint-prod.auth.eu-west-1.amazoncognito.com",
                "GLINT_WEB_CLIENT_ID", "4l2k3j4h5g6f7d8s9a0q1w2e3r",
                "GLINT_WEB_REALTIME_URL", "wss://abc.execute-api.eu-west-1.amazonaws.com/live"));

        assertEquals(new WebConfig(false, Optional.of(new WebConfig.ManagedLogin(
                URI.create("https://glint-prod.auth.eu-west-1.amazoncognito.com"), "4l2k3j4h5g6f7d8s9a0q1w2e3r")),
                Optional.of(URI.create("wss://abc.execute-api.eu-west-1.amazonaws.com/live"))), web);
        assertEquals(web, WebConfig.fromEnv(web.toEnv()));
    }

    @Test
    void nothingSetIsNothingOffered() {
        assertEquals(WebConfig.none(), WebConfig.fromEnv(Map.of()));
        assertEquals(WebConfig.none(), WebConfig.fromEnv(Map.of("GLINT_WEB_SIGN_IN_URL", " ", "GLINT_WEB_CLIENT_ID", "")));
    }

    @Test
    void aMalformedValueIsAConfigurationErrorNamingItsVariable() {
        assertTrue(refusal(Map.of("GLINT_WEB_SIGN_IN_URL", "https://x.auth.eu-west-1.amazoncognito.com"))
                .contains("GLINT_WEB_CLIENT_ID must be set with GLINT_WEB_SIGN_IN_URL"));
        assertTrue(refusal(Map.of("GLINT_WEB_CLIENT_ID", "abc")).contains("GLINT_WEB_SIGN_IN_URL must be set with GLINT_WEB_CLIENT_ID"));
        assertTrue(refusal(Map.of("GLINT_WEB_SIGN_IN_URL", "http://login.example.com", "GLINT_WEB_CLIENT_ID", "abc"))
                .contains("GLINT_WEB_SIGN_IN_URL must be a https:// URL"));
        assertTrue(refusal(Map.of("GLINT_WEB_SIGN_IN_URL", "https://login.example.com/", "GLINT_WEB_CLIENT_ID", "abc"))
                .contains("GLINT_WEB_SIGN_IN_URL must not end with '/'"));
        assertTrue(refusal(Map.of("GLINT_WEB_SIGN_IN_URL", "https://login.example.com?x=1", "GLINT_WEB_CLIENT_ID", "abc"))
                .contains("GLINT_WEB_SIGN_IN_URL must be an absolute"));
        assertTrue(refusal(Map.of("GLINT_WEB_SIGN_IN_URL", "https://a b", "GLINT_WEB_CLIENT_ID", "abc"))
                .contains("GLINT_WEB_SIGN_IN_URL is not a URL"));
        assertTrue(refusal(Map.of("GLINT_WEB_SIGN_IN_URL", "https://login.example.com", "GLINT_WEB_CLIENT_ID", "a;b"))
                .contains("GLINT_WEB_CLIENT_ID is not an app client id"));
        assertTrue(refusal(Map.of("GLINT_WEB_REALTIME_URL", "https://abc.execute-api.eu-west-1.amazonaws.com/live"))
                .contains("GLINT_WEB_REALTIME_URL must be a wss:// URL"));
        assertTrue(refusal(Map.of("GLINT_WEB_REALTIME_URL", "ws://abc.example.com/live"))
                .contains("GLINT_WEB_REALTIME_URL must be a wss:// URL (ws:// only on a loopback host)"));
        assertTrue(refusal(Map.of("GLINT_WEB_DEV_SIGN_IN", "yes")).contains("GLINT_WEB_DEV_SIGN_IN must be true or false"));
    }

    @Test
    void theLocalStackMayUsePlainSchemesOnLoopback() {
        WebConfig web = WebConfig.fromEnv(Map.of("GLINT_WEB_SIGN_IN_URL", "http://127.0.0.1:4567", "GLINT_WEB_CLIENT_ID",
                "glint-local-client", "GLINT_WEB_REALTIME_URL", "ws://127.0.0.1:4568/ws", "GLINT_WEB_DEV_SIGN_IN", "true"));

        assertTrue(web.devSignIn());
        assertEquals("http://127.0.0.1:4567", web.signInOrigin());
        assertEquals("ws://127.0.0.1:4568", web.realtimeOrigin());
    }
}
