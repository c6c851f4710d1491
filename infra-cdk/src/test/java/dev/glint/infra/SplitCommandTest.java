package dev.glint.infra;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code ./glint split --stage NAME api ...} against a stand-in for the AWS CLI that records its calls and
 * answers as AWS would: the stack's {@code SplitStoreArn} output, the store's ETag, then {@code put-key}
 * with it. Bad shares are refused before any AWS call; a missing CLI, missing credentials, a missing stack
 * or output each say so.
 */
@DisabledOnOs(OS.WINDOWS)
class SplitCommandTest {

    private static final String STORE = "arn:aws:cloudfront::123456789012:key-value-store/0f1e2d3c-aaaa-bbbb-cccc-000011112222";
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;
    private Path aws;
    private Path calls;

    record Run(int exit, List<String> stdout, List<String> stderr) {
    }

    /**
     * The stand-in: FAIL names the one call (sts, stack, output, describe, get, missing-key, put) that
     * fails or answers nothing; VALUE is what get-key returns.
     */
    @BeforeEach
    void standIn() throws IOException {
        aws = dir.resolve("aws");
        calls = dir.resolve("calls.txt");
        Files.writeString(aws, """
                #!/usr/bin/env bash
                echo "$*" >> "$CALLS"
                case "$1 $2" in
                  "sts get-caller-identity")
                    [[ "$FAIL" != sts ]] || { echo; echo "Unable to locate credentials. You can configure credentials by running \\"aws configure\\"." >&2; exit 253; }
                    echo 123456789012 ;;
                  "cloudformation describe-stacks")
                    [[ "$FAIL" != stack ]] || { echo "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id $4 does not exist" >&2; exit 254; }
                    [[ "$FAIL" != output ]] || { echo None; exit 0; }
                    echo "$STORE" ;;
                  "cloudfront-keyvaluestore describe-key-value-store")
                    [[ "$FAIL" != describe ]] || { echo "An error occurred (AccessDeniedException) when calling the DescribeKeyValueStore operation: denied" >&2; exit 254; }
                    echo ETAG-1 ;;
                  "cloudfront-keyvaluestore get-key")
                    [[ "$FAIL" != missing-key ]] || { echo "An error occurred (ResourceNotFoundException) when calling the GetKey operation: Key not found" >&2; exit 254; }
                    echo "$VALUE" ;;
                  "cloudfront-keyvaluestore put-key")
                    [[ "$FAIL" != put ]] || { echo "An error occurred (ConflictException) when calling the PutKey operation: ETag mismatch" >&2; exit 254; }
                    echo '{"ETag": "ETAG-2", "ItemCount": 1, "TotalSizeInBytes": 5}' ;;
                  *) echo "unexpected call: $*" >&2; exit 99 ;;
                esac
                """);
        assertTrue(aws.toFile().setExecutable(true));
    }

    private Run glint(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("glint").toString()));
        command.addAll(List.of(args));
        File stdout = dir.resolve("stdout.txt").toFile();
        File stderr = dir.resolve("stderr.txt").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout).redirectError(stderr);
        builder.environment().put("GLINT_AWS_CLI", aws.toString());
        builder.environment().put("CALLS", calls.toString());
        builder.environment().put("STORE", STORE);
        builder.environment().put("FAIL", "");
        builder.environment().put("VALUE", "10");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("./glint " + String.join(" ", args) + " still runs after 10 s (building or starting Java?)");
        }
        return new Run(process.exitValue(), Files.readAllLines(stdout.toPath(), StandardCharsets.UTF_8),
                Files.readAllLines(stderr.toPath(), StandardCharsets.UTF_8));
    }

    private List<String> calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of();
    }

    private static final String READ_STORE = "cloudformation describe-stacks --stack-name prod-Glint "
            + "--query Stacks[0].Outputs[?OutputKey=='SplitStoreArn'].OutputValue --output text";

    @ParameterizedTest(name = "./glint split --stage prod api {0}")
    @CsvSource(delimiter = '|', textBlock = """
            staged=10            | 10
            live=90 staged=10    | 10
            staged=10 live=90    | 10
            live=75              | 25
            staged=0             | 0
            off                  | 0
            staged=100           | 100
            staged=007           | 7
            """)
    void theStagedShareGoesIntoTheStoreWithItsETag(String shares, String value) throws Exception {
        List<String> args = new ArrayList<>(List.of("split", "--stage", "prod", "api"));
        args.addAll(List.of(shares.split(" ")));
        Run run = glint(Map.of(), args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.toString());
        assertEquals(List.of(
                "sts get-caller-identity --query Account --output text",
                READ_STORE,
                "cloudfront-keyvaluestore describe-key-value-store --kvs-arn " + STORE + " --query ETag --output text",
                "cloudfront-keyvaluestore put-key --kvs-arn " + STORE + " --key api --value " + value + " --if-match ETAG-1"), calls());
        int staged = Integer.parseInt(value);
        assertTrue(run.stdout().get(0).startsWith("split of prod api: live=" + (100 - staged) + " staged=" + staged + ";"), run.toString());
    }

    @Test
    void withoutSharesItPrintsTheStagesSplit() throws Exception {
        Run run = glint(Map.of("VALUE", "10"), "split", "--stage", "prod", "api");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("split of prod api: live=90 staged=10", run.stdout().get(0));
        assertEquals(List.of("sts get-caller-identity --query Account --output text", READ_STORE,
                "cloudfront-keyvaluestore get-key --kvs-arn " + STORE + " --key api --query Value --output text"), calls());

        Run none = glint(Map.of("FAIL", "missing-key"), "split", "api", "--stage", "prod");
        assertEquals(0, none.exit(), none.toString());
        assertEquals("split of prod api: live=100 staged=0 (everyone on the live API)", none.stdout().get(0));

        Run odd = glint(Map.of("VALUE", "lots"), "split", "--stage", "prod", "api");
        assertEquals(0, odd.exit(), odd.toString());
        assertTrue(odd.stdout().get(0).contains("'lots', which the edge reads as 0"), odd.toString());
    }

    /** Each row: the shares, then what the one line on stderr must name. No AWS call is made. */
    @ParameterizedTest(name = "./glint split --stage prod api {0}")
    @CsvSource(delimiter = '|', textBlock = """
            live=80 staged=10     | the shares add up to 90 %; they must add up to 100
            live=60 staged=50     | the shares add up to 110 %
            staged=101            | staged's share is 101 %; a share is 0 to 100
            staged=10 staged=20   | staged is named twice
            off staged=10         | staged is named twice
            1=70 2=30             | with --stage the shares are live=PERCENT and staged=PERCENT
            preview=10            | got 'preview=10'
            staged=-1             | got 'staged=-1'
            staged=ten            | got 'staged=ten'
            """)
    void badSharesAreRefusedBeforeAnyAwsCall(String shares, String named) throws Exception {
        List<String> args = new ArrayList<>(List.of("split", "--stage", "prod", "api"));
        args.addAll(List.of(shares.split(" ")));
        Run run = glint(Map.of(), args.toArray(String[]::new));
        assertEquals(2, run.exit(), run.toString());
        assertEquals(1, run.stderr().size(), run.toString());
        assertTrue(run.stderr().get(0).startsWith("glint split: ") && run.stderr().get(0).contains(named), run.toString());
        assertEquals(List.of(), calls());
    }

    @Test
    void aStageNameOrDataFolderThatCannotBeUsedIsRefused() throws Exception {
        Run bad = glint(Map.of(), "split", "--stage", "Prod Stage", "api", "staged=10");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.stderr().get(0).contains("--stage needs a stage name"), bad.toString());
        Run data = glint(Map.of(), "split", "--stage", "prod", "api", "staged=10", "--data", dir.resolve("data").toString());
        assertEquals(2, data.exit(), data.toString());
        assertTrue(data.stderr().get(0).contains("--data is for the local stack"), data.toString());
        assertEquals(List.of(), calls());
    }

    /** Each row: the failing call, then what the one line on stderr must say. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            sts      | no usable AWS credentials for --stage prod (aws sts get-caller-identity: Unable to locate credentials
            stack    | cannot read the stack prod-Glint (aws cloudformation describe-stacks: An error occurred (ValidationError)
            output   | the stack prod-Glint has no SplitStoreArn output: only a stage with an edge (beta, prod)
            describe | cannot read the store arn:aws:cloudfront::123456789012:key-value-store/
            put      | the split of prod was not changed (aws cloudfront-keyvaluestore put-key: An error occurred (ConflictException)
            """)
    void eachAwsFailureIsOneLineSayingWhatFailed(String failing, String says) throws Exception {
        Run run = glint(Map.of("FAIL", failing), "split", "--stage", "prod", "api", "staged=10");
        assertEquals(1, run.exit(), run.toString());
        assertEquals(1, run.stderr().size(), run.toString());
        assertTrue(run.stderr().get(0).startsWith("glint split: " + says), run.toString());
        assertTrue(calls().stream().noneMatch(call -> call.contains("put-key")) || failing.equals("put"), calls().toString());
    }

    @Test
    void withoutTheAwsCliItSaysSo() throws Exception {
        Run run = glint(Map.of("GLINT_AWS_CLI", dir.resolve("no-such-aws").toString()), "split", "--stage", "beta", "api", "staged=10");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.stderr().get(0).startsWith("glint split: --stage needs the AWS CLI"), run.toString());
    }

    @Test
    void theHelpShowsTheDeployedForm() throws Exception {
        Run run = glint(Map.of(), "split", "--help");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.stdout().stream().anyMatch(line -> line.equals("split --stage NAME api [live=PERCENT] [staged=PERCENT|off]")), run.toString());
    }
}
