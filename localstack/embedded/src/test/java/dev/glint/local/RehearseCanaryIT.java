package dev.glint.local;

import dev.glint.local.versions.VersionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./glint rehearse canary} against the beta stage's template (10 % for 5 minutes, its api
 * rollback alarms): a faulty build is rolled back by the 5xx-rate alarm, a sound one completes, each
 * on a clock compressed {@value Rehearse#SPEEDUP}x.
 */
class RehearseCanaryIT {

    @TempDir
    Path data;

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra-cdk")) && Files.isDirectory(dir.resolve("functions"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the repository");
    }

    private static Path beta() {
        return DevTemplate.beta(root().resolve("infra-cdk/target/cdk.out-beta"));
    }

    private Rehearse.Result rehearse(double faulty) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long started = System.nanoTime();
        Rehearse.Result result = Rehearse.run(root(), data, beta(), faulty,
                new PrintStream(printed, true, StandardCharsets.UTF_8), 11);
        String timeline = printed.toString(StandardCharsets.UTF_8);
        Files.writeString(root().resolve("localstack/embedded/target/rehearse-canary-" + (faulty > 0 ? "faulty" : "sound") + ".txt"),
                timeline + String.format("(%.1f s)%n", (System.nanoTime() - started) / 1e9));
        System.err.println(timeline);
        return result;
    }

    @Test
    void aFaultyBuildIsRolledBackByTheStagesOwnAlarmThenASoundOneCompletes() throws Exception {
        Rehearse.Result faulty = rehearse(0.3);
        assertEquals(Rehearse.Outcome.ROLLED_BACK, faulty.outcome(), String.join("\n", faulty.timeline()));
        assertTrue(faulty.asExpected());
        assertEquals("1", faulty.oldVersion());
        assertEquals("2", faulty.newVersion());
        assertTrue(faulty.timeline().stream().anyMatch(l -> l.contains("ApiNewVersion5xxRate ALARM")), String.join("\n", faulty.timeline()));
        assertTrue(faulty.timeline().stream().anyMatch(l -> l.contains("shift: 10 % of live's traffic to version 2")));
        assertTrue(faulty.timeline().stream().noneMatch(l -> l.contains("shift: 100 %")), "a rollback never shifts the rest");
        VersionStore store = new VersionStore(data);
        assertEquals("1", store.alias("api", "live").orElseThrow(), "live stays on the old version");

        Rehearse.Result sound = rehearse(0);
        assertEquals(Rehearse.Outcome.COMPLETED, sound.outcome(), String.join("\n", sound.timeline()));
        assertTrue(sound.asExpected());
        assertEquals("1", sound.oldVersion(), "the rolled-back version 2 never became live");
        assertEquals("3", sound.newVersion());
        assertTrue(sound.timeline().stream().anyMatch(l -> l.contains("shift: 100 % of live's traffic to version 3")));
        assertTrue(sound.timeline().stream().noneMatch(l -> l.contains(" ALARM ")), String.join("\n", sound.timeline()));
        assertEquals("3", store.alias("api", "live").orElseThrow());
    }
}
