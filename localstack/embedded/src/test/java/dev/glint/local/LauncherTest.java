package dev.glint.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code ./glint} launcher answers help and refuses bad arguments on its own, in bash: each case
 * here must finish within seconds, so none of them may build the project or start Java.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherTest {

    private static final Path ROOT = repositoryRoot();
    private static final List<String> COMMANDS =
            List.of("up", "invoke", "versions", "rehearse", "dlq", "experiments", "digest", "bench", "soak", "build", "localstack", "help");

    @TempDir
    Path output;

    record Run(int exit, List<String> stdout, List<String> stderr) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"up", "invoke", "versions", "rehearse", "dlq", "experiments", "digest", "bench", "soak", "build", "localstack", "help"})
    void everyCommandPrintsItsOwnUsageForHelpAndBuildsNothing(String command) throws Exception {
        for (String help : List.of("--help", "-h")) {
            Run run = glint(command, help);
            assertEquals(0, run.exit(), command + " " + help + ": " + run);
            assertTrue(firstLine(run).startsWith("usage: ./glint " + command), command + " " + help + ": " + run);
            assertEquals(List.of(), run.stderr(), command + " " + help);
        }
        assertEquals(glint(command, "--help"), glint("help", command), "./glint help " + command);
    }

    @Test
    void upsHelpShowsTheCelebrityThreshold() throws Exception {
        Run run = glint("up", "--help");

        assertTrue(run.stdout().stream().limit(2).anyMatch(line -> line.contains("[--celebrity-threshold N]")), run.toString());
        assertTrue(run.stdout().stream().anyMatch(line -> line.trim().startsWith("--celebrity-threshold ")), run.toString());
        assertTrue(glint("help").stdout().stream().anyMatch(line -> line.contains("[--celebrity-threshold N]")), "./glint help");
    }

    @Test
    void helpAfterOtherArgumentsStillOnlyPrintsUsage() throws Exception {
        Run run = glint("bench", "coldstart", "--quick", "--help");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(firstLine(run).startsWith("usage: ./glint bench"), run.toString());
    }

    @Test
    void helpWithoutACommandListsEveryCommand() throws Exception {
        for (Run run : List.of(glint("help"), glint(), glint("--help"))) {
            assertEquals(0, run.exit(), run.toString());
            assertTrue(firstLine(run).startsWith("usage: ./glint COMMAND"), run.toString());
            for (String command : COMMANDS) {
                assertTrue(run.stdout().stream().anyMatch(line -> line.startsWith("  " + command)),
                        "lists " + command + ": " + run);
            }
        }
    }

    /** Each row: the command line, then what the one line on stderr must name. */
    @ParameterizedTest(name = "./glint {0}")
    @CsvSource(delimiter = '|', textBlock = """
            up --port                                       | --port
            up --port 99999                                 | --port
            up --faults 1                                   | --faults
            up --fault-latency soon                         | --fault-latency
            up --fresh --turbo                              | --turbo
            up --celebrity-threshold                        | --celebrity-threshold needs a value
            up --celebrity-threshold abc                    | --celebrity-threshold needs a whole number from 1
            up --celebrity-threshold 0                      | --celebrity-threshold needs a whole number from 1
            up --celebrity-threshold 2.5                    | --celebrity-threshold needs a whole number from 1
            up --celebrity-threshold 3 --turbo              | unknown option --turbo
            invoke                                          | FUNCTION
            invoke api                                      | EVENT.json
            invoke frobnicator events/api/health.json       | FUNCTION
            invoke api events/api/no-such-event.json        | EVENT.json
            invoke api events/api/health.json --data        | --data
            invoke api events/api/health.json --data no-such-folder | --data
            up --template no-such-template.json             | --template
            up --template                                   | --template
            up --iam-report                                 | --iam-report
            versions                                        | ACTION
            versions tag api                                | ACTION
            versions publish                                | FUNCTION
            versions list frobnicator                       | FUNCTION
            rehearse                                        | KIND
            rehearse linear                                 | KIND
            rehearse canary --faulty 1                      | --faulty
            rehearse canary --faulty                        | --faulty
            rehearse canary --template no-such-template.json | --template
            dlq frobnicate media                            | ACTION
            dlq list                                        | QUEUE
            dlq list thumbnails                             | QUEUE
            dlq list media --data                           | --data
            experiments --stage                             | --stage
            experiments --data no-such-folder               | --data
            experiments prod                                | prod
            experiments stop                                | ACTION
            experiments check --stage prod                  | --stage
            experiments check --data no-such-folder         | --data
            digest now                                      | now
            digest --data no-such-folder                    | --data
            bench frobnicate                                | frobnicate
            bench --quick --out                             | --out
            bench --fast                                    | --fast
            soak --users                                    | --users
            soak --users abc                                | --users
            soak --users 0                                  | --users
            soak --rate 2                                   | --rate
            soak --seed 1.5                                 | --seed
            soak --users --posts 3                          | --users
            build everything                                | everything
            localstack                                      | ACTION
            localstack launch                               | ACTION
            help frobnicate                                 | COMMAND
            """)
    void aMissingOrBadArgumentIsOneLineNamingItAndExitCode2(String commandLine, String named) throws Exception {
        String[] args = commandLine.trim().split("\\s+");
        Run run = glint(args);
        assertEquals(2, run.exit(), run.toString());
        assertEquals(List.of(), run.stdout(), run.toString());
        assertEquals(1, run.stderr().size(), "one line: " + run);
        String line = run.stderr().get(0);
        assertTrue(line.startsWith("glint " + args[0] + ": "), line);
        assertTrue(line.contains(named), line);
    }

    @Test
    void aDataFolderTheLauncherCreatesIsItsOwnersOnly() throws Exception {
        Path data = output.resolve("new").resolve("data");

        Run run = glint("up", "--data", data.toString(), "--port", "99999");

        assertEquals(2, run.exit(), run.toString());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }

    @Test
    void anUnknownCommandExitsWithCode2() throws Exception {
        Run run = glint("frobnicate");
        assertEquals(2, run.exit(), run.toString());
        assertEquals(List.of("glint: unknown command 'frobnicate' (./glint help lists the commands)"), run.stderr());
    }

    private static String firstLine(Run run) {
        return run.stdout().isEmpty() ? "" : run.stdout().get(0);
    }

    private Run glint(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("glint").toString()));
        command.addAll(List.of(args));
        File stdout = Files.createTempFile(output, "stdout", ".txt").toFile();
        File stderr = Files.createTempFile(output, "stderr", ".txt").toFile();
        Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout).redirectError(stderr).start();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("./glint " + String.join(" ", args) + " still runs after 5 s (building or starting Java?): "
                    + Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readAllLines(stdout.toPath(), StandardCharsets.UTF_8),
                Files.readAllLines(stderr.toPath(), StandardCharsets.UTF_8));
    }

    /** The folder holding {@code glint}: the parent of {@code glint.events.dir}, else found upwards from here. */
    private static Path repositoryRoot() {
        String events = System.getProperty("glint.events.dir");
        if (events != null && Files.isRegularFile(Path.of(events).resolveSibling("glint"))) {
            return Path.of(events).getParent().toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("glint"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ./glint above " + Path.of("").toAbsolutePath());
    }
}
