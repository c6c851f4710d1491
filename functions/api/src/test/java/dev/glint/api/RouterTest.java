package dev.glint.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouterTest {

    private static HttpRequest request(String method, String path) {
        return new HttpRequest(method, path, Map.of(), Map.of(), Map.of(), new byte[0], Map.of(), "r1");
    }

    private final Router router = new Router()
            .add("GET", "/v1/posts/{id}", r -> HttpResponse.json(200, Map.of("id", r.pathParams().get("id"))))
            .add("DELETE", "/v1/posts/{id}", r -> HttpResponse.json(204, Map.of()))
            .add("GET", "/v1/posts/{id}/comments", r -> HttpResponse.json(200, Map.of("comments", r.pathParams().get("id"))));

    @Test
    void pathParametersAreBound() {
        assertEquals("{\"id\":\"p-1\"}", router.dispatch(request("GET", "/v1/posts/p-1")).body());
        assertEquals("{\"comments\":\"p-2\"}", router.dispatch(request("GET", "/v1/posts/p-2/comments")).body());
    }

    @Test
    void anEmptySegmentDoesNotMatchAParameter() {
        ApiException error = assertThrows(ApiException.class, () -> router.dispatch(request("GET", "/v1/posts/")));
        assertEquals(404, error.status());
    }

    @Test
    void aKnownPathWithAnotherMethodIs405ListingTheAllowedOnes() {
        Router.MethodNotAllowed error = assertThrows(Router.MethodNotAllowed.class,
                () -> router.dispatch(request("PUT", "/v1/posts/p-1")));
        assertEquals(405, error.status());
        assertEquals("DELETE, GET, HEAD", error.allow());
    }

    @Test
    void routeKeysListEveryRoute() {
        assertEquals(List.of("GET /v1/posts/{id}", "HEAD /v1/posts/{id}", "DELETE /v1/posts/{id}",
                "GET /v1/posts/{id}/comments", "HEAD /v1/posts/{id}/comments"), router.routeKeys());
    }

    @Test
    void headIsAnsweredByTheGetRouteOfThePath() {
        assertEquals("{\"comments\":\"p-2\"}", router.dispatch(request("HEAD", "/v1/posts/p-2/comments")).body());
        Router.MethodNotAllowed error = assertThrows(Router.MethodNotAllowed.class,
                () -> new Router().add("POST", "/v1/uploads", r -> null).dispatch(request("HEAD", "/v1/uploads")));
        assertEquals("POST", error.allow());
    }
}
