package dev.glint.api;

import dev.glint.shared.web.WebPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web client, served beside the API it calls: the pages {@code /} (the app: sign in, profile,
 * share a photo straight to the bucket with a presigned URL, follow, feed, likes, comments and
 * notifications) and {@code /console} (the product group's), and the files they load under
 * {@code /assets/}. The files are the {@code glint-web} module's Vite build, on the classpath under
 * {@code web/}: an asset's name carries a hash of its content, so it is cached for a year and
 * marked immutable, while a page is revalidated on every load, so that a deploy's pages never point
 * at files the new function does not have. Nothing is inline, so the content security policy allows
 * scripts and styles from this origin only, calls to this origin and to the uploads bucket (the
 * presigned PUT), and images from the media origin (the renditions' URLs): the buckets' origins come
 * from the function's own configuration ({@link WebOrigins}), so a deployed stage names its own
 * buckets and nothing local. The client uses no browser feature that needs a permission (a file
 * input needs none), so its permissions policy turns them all off. The page signs in and listens
 * where {@code /config.json} says ({@link WebConfig}): the policy also lets it call the managed login's
 * token endpoint and open the realtime socket, those two origins and no others.
 */
final class WebClient {

    static final String ROOT = "/web/";
    /** The build's list of the files under {@code assets/}, one a line (see functions/web/vite.config.js). */
    static final String ASSET_LIST = ROOT + "assets.txt";

    /** A page: revalidated on every load (it is small), so it always names the assets of the build that serves it. */
    static final String PAGE_CACHE = "no-cache";
    /** An asset: its name changes with its content. */
    static final String ASSET_CACHE = "public, max-age=31536000, immutable";

    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "map", "application/json");

    private final HttpResponse app;
    private final HttpResponse console;
    private final Map<String, HttpResponse> assets;
    private final HttpResponse config;

    private WebClient(WebOrigins origins, WebConfig web) {
        Map<String, String> common = new WebPolicy(origins.media(), origins.uploads(), web.signInOrigin(),
                web.realtimeOrigin()).headers();
        // Revalidated on every load, as a page is: a stage's sign-in or socket may move with a deploy.
        this.config = new HttpResponse(200, Map.of("content-type", "application/json", "cache-control", PAGE_CACHE), web.json());
        this.app = file("index.html", "text/html; charset=utf-8", PAGE_CACHE, common);
        this.console = file("console.html", "text/html; charset=utf-8", PAGE_CACHE, common);
        Map<String, HttpResponse> files = new LinkedHashMap<>();
        for (String line : read(ASSET_LIST).split("\n")) {
            String path = line.trim();
            if (path.isEmpty()) {
                continue;
            }
            if (!path.startsWith("assets/") || path.indexOf('/', "assets/".length()) >= 0) {
                throw new IllegalStateException(ASSET_LIST + " names " + path + ": assets live directly under assets/");
            }
            String name = path.substring("assets/".length());
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            if (type == null) {
                // A response body here is text: a binary asset would need base64 bodies (the build inlines none).
                throw new IllegalStateException(path + " is of a type the api does not serve; add it to WebClient.TYPES");
            }
            files.put(name, file(path, type, ASSET_CACHE, common));
        }
        this.assets = Map.copyOf(files);
    }

    /** The web client's files, with a policy that lets them reach these buckets' origins and the stage's sign-in and socket. */
    static WebClient load(WebOrigins origins, WebConfig web) {
        return new WebClient(origins, web);
    }

    /** {@code /config.json}: how the page signs in and where its socket is. */
    HttpResponse config() {
        return config;
    }

    /** {@code /}: the app. */
    HttpResponse app() {
        return app;
    }

    /** {@code /console}: the product group's page. */
    HttpResponse console() {
        return console;
    }

    /** {@code /assets/{file}}: a file of the build, or 404. */
    HttpResponse asset(String name) {
        HttpResponse file = assets.get(name);
        if (file == null) {
            throw new ApiException(404, "asset_not_found",
                    "The web client has no file assets/" + name + "; reload the page to get the current files.");
        }
        return file;
    }

    private static HttpResponse file(String path, String type, String cache, Map<String, String> common) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", type);
        headers.put("cache-control", cache);
        headers.putAll(common);
        return new HttpResponse(200, Map.copyOf(headers), read(ROOT + path));
    }

    private static String read(String resource) {
        try (InputStream in = WebClient.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the function jar (built by functions/web)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
