package dev.glint.shared.moderation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A report's id names its thing, and only ids a report could have are read as one. */
class ReportTargetTest {

    private static final String POST = "01JD3K8ZQ4X9V6R2M5N7P8T0AB";
    private static final String COMMENT = "01JD3M0A2B3C4D5E6F7G8H9J0K";

    @Test
    void everyKindOfTargetReadsBackFromItsReportId() {
        for (ReportTarget target : List.of(ReportTarget.post(POST), ReportTarget.comment(POST, COMMENT),
                ReportTarget.account("0f6a5c1e-2b1d-4c43-9d57-7d1a7f0e8a11"))) {
            assertEquals(Optional.of(target), ReportTarget.ofReportId(target.reportId()), target.reportId());
        }
        assertEquals("p." + POST, ReportTarget.post(POST).reportId());
        assertEquals("c." + POST + "." + COMMENT, ReportTarget.comment(POST, COMMENT).reportId());
    }

    @Test
    void anythingElseIsNoReport() {
        for (String id : new String[]{null, "", "p.", "p", "x." + POST, "p.not-an-id", "c." + POST, "c." + POST + ".x",
                "c.x." + COMMENT, "u.", "u.a#b", "u." + "a".repeat(129), "p." + POST + "#REPORT"}) {
            assertEquals(Optional.empty(), ReportTarget.ofReportId(id), String.valueOf(id));
        }
    }
}
