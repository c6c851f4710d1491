package dev.glint.shared.resources;

import dev.glint.shared.resources.GlintResources.PublicRoute;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublicRouteTest {

    private static final PublicRoute ASSET = new PublicRoute("GET", "/assets/{file}");

    @Test
    void aParameterStandsForOneNonEmptySegment() {
        assertTrue(ASSET.matches("GET", "/assets/main-Bp2EPwKM.js"));
        assertFalse(ASSET.matches("GET", "/assets/"));
        assertFalse(ASSET.matches("GET", "/assets"));
        assertFalse(ASSET.matches("GET", "/assets/a/b.js"));
        assertFalse(ASSET.matches("GET", "/assets/../v1/me"), "a request that climbs out is not public");
    }

    @Test
    void theMethodAndEveryLiteralSegmentMustMatch() {
        assertFalse(ASSET.matches("POST", "/assets/main.js"));
        assertFalse(ASSET.matches("GET", "/asset/main.js"));
        assertTrue(new PublicRoute("GET", "/").matches("GET", "/"));
        assertFalse(new PublicRoute("GET", "/").matches("GET", "/v1/me"));
        assertFalse(new PublicRoute("GET", "/health").matches("GET", "/health/"));
    }
}
