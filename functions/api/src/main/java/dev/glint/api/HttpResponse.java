package dev.glint.api;

import dev.glint.shared.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** A response a route returns; the handler adds the request id and version headers. */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    public static HttpResponse json(int status, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        return new HttpResponse(status, headers, Json.write(body));
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpResponse(status, copy, body);
    }
}
