package dev.glint.api;

import dev.glint.shared.export.ArchiveLinks;
import dev.glint.shared.export.DataExport;
import dev.glint.shared.export.DataExports;
import dev.glint.shared.export.ExportLedger;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.glint.api.RouteSupport.caller;

/** A copy of my data: start an export (one at a time), read one with its download link, list mine. */
final class ExportRoutes implements RouteGroup {

    /** What POST answers: the export started. */
    record StartedView(String id, String status) {
    }

    /**
     * An export: {@code url} (a download link minted on this read, valid {@code urlExpiresAt}) when ready,
     * {@code reason} when failed; {@code expiresAt} is when the archive is deleted.
     */
    record ExportView(String id, String status, Optional<String> reason, String createdAt, Optional<String> finishedAt,
                      Optional<Long> bytes, Optional<Integer> photos, String expiresAt, Optional<String> url,
                      Optional<String> urlExpiresAt) {
    }

    private final DataExports exports;

    ExportRoutes(DataExports exports) {
        this.exports = exports;
    }

    @Override
    public void register(Router router) {
        router.add("POST", "/v1/me/export", this::start)
                .add("GET", "/v1/me/exports", this::list)
                .add("GET", "/v1/me/exports/{id}", this::get);
    }

    private HttpResponse start(HttpRequest request) {
        ExportLedger.Start start = exports.start(caller(request));
        if (start instanceof ExportLedger.AlreadyRunning running) {
            return HttpResponse.json(409, Map.of("error", Map.of(
                    "code", "export_running",
                    "message", "An export of your data is already running (" + running.exportId()
                            + "): wait for it, then GET /v1/me/exports/" + running.exportId() + ".",
                    "exportId", running.exportId())));
        }
        return HttpResponse.json(202, new StartedView(((ExportLedger.Started) start).export().id(), "running"));
    }

    private HttpResponse get(HttpRequest request) {
        String caller = caller(request);
        DataExports.Seen seen = exports.get(caller, request.pathParams().get("id"))
                .orElseThrow(() -> new ApiException(404, "export_not_found", "No such export of yours."));
        return HttpResponse.json(200, view(seen.export(), seen.link()));
    }

    private HttpResponse list(HttpRequest request) {
        List<ExportView> items = exports.recent(caller(request)).stream().map(e -> view(e, Optional.empty())).toList();
        return HttpResponse.json(200, Map.of("items", items));
    }

    private static ExportView view(DataExport export, Optional<ArchiveLinks.Link> link) {
        boolean ready = export.status() == DataExport.Status.READY;
        return new ExportView(export.id(), export.status().name().toLowerCase(Locale.ROOT), Optional.ofNullable(export.reason()),
                export.createdAt().toString(), Optional.ofNullable(export.finishedAt()).map(Object::toString),
                ready ? Optional.of(export.bytes()) : Optional.empty(), ready ? Optional.of(export.photos()) : Optional.empty(),
                export.expiresAt().toString(), link.map(ArchiveLinks.Link::url), link.map(l -> l.expiresAt().toString()));
    }
}
