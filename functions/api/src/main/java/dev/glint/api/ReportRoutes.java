package dev.glint.api;

import dev.glint.shared.reports.Reports;

import java.util.List;

import static dev.glint.api.RouteSupport.requireProduct;

/** Reports for product teams, from rollups. */
final class ReportRoutes implements RouteGroup {

    /** {@code {"days":[...]}}. */
    record DailyReportView(List<Reports.Day> days) {
    }

    private final Reports reports;

    ReportRoutes(Reports reports) {
        this.reports = reports;
    }

    @Override
    public void register(Router router) {
        router.add("GET", "/v1/reports/daily", request -> {
            requireProduct(request, "Reports");
            return HttpResponse.json(200, new DailyReportView(
                    reports.daily(request.query().get("from"), request.query().get("to"))));
        });
    }
}
