package dev.glint.shared.aws;

import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Traces every AWS SDK call of a function into X-Ray, as the X-Ray SDK's instrumentor does: one
 * subsegment per call (service, operation, table, queue or bucket, request id, status, and whether
 * it was throttled, a client error or a fault), under the function's segment that Lambda's active
 * tracing starts, sent as a UDP datagram to the X-Ray daemon Lambda runs beside the function.
 *
 * <p>Neither the X-Ray SDK for Java nor OpenTelemetry's AWS SDK instrumentation is among the packages
 * known to resolve where this project builds, and either would add a tracer, its context and a
 * sampler to every cold start; this interceptor is one class (about 45 loaded at the first call, the
 * UDP socket's included), and sends nothing when the invocation is not sampled. A failure to trace
 * never fails the call. Throttles are flagged for HTTP 429 only (DynamoDB's come as 400 with an error
 * code: they show as errors).
 *
 * <p>On when {@code AWS_XRAY_DAEMON_ADDRESS} is set (Lambda sets it when the function traces) and
 * {@code GLINT_TRACE_SDK} is not {@code false}.
 */
public final class XRayTracing implements ExecutionInterceptor {

    /** Lambda's per-invocation trace header: the Java runtime sets this property before each invocation. */
    static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    static final String TRACE_HEADER_ENV = "_X_AMZN_TRACE_ID";
    static final String DAEMON_ENV = "AWS_XRAY_DAEMON_ADDRESS";
    static final String SWITCH_ENV = "GLINT_TRACE_SDK";

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("GlintXRayStartMicros");
    private static final ExecutionAttribute<TraceHeader> HEADER = new ExecutionAttribute<>("GlintXRayHeader");
    private static final byte[] DAEMON_HEADER = "{\"format\":\"json\",\"version\":1}\n".getBytes(StandardCharsets.US_ASCII);
    private static final Map<String, String> SERVICES = Map.of("DynamoDb", "DynamoDB", "Sqs", "SQS", "S3", "S3");

    private final InetSocketAddress daemon;
    private final Supplier<String> header;
    private DatagramSocket socket;

    XRayTracing(InetSocketAddress daemon, Supplier<String> header) {
        this.daemon = daemon;
        this.header = header;
    }

    /** The interceptor, when this process runs with active tracing. */
    public static Optional<ExecutionInterceptor> fromEnvironment(Map<String, String> env) {
        String address = env.get(DAEMON_ENV);
        if (address == null || address.isBlank() || "false".equalsIgnoreCase(env.get(SWITCH_ENV))) {
            return Optional.empty();
        }
        InetSocketAddress daemon = daemonAddress(address);
        if (daemon == null) {
            return Optional.empty();
        }
        return Optional.of(new XRayTracing(daemon, () -> {
            String value = System.getProperty(TRACE_HEADER_PROPERTY);
            return value != null ? value : System.getenv(TRACE_HEADER_ENV);
        }));
    }

    /** {@code host:port}, or the {@code udp:host:port} part of {@code tcp:... udp:...}. */
    static InetSocketAddress daemonAddress(String value) {
        String udp = value.trim();
        for (String part : udp.split("\\s+")) {
            if (part.startsWith("udp:")) {
                udp = part.substring(4);
            }
        }
        int colon = udp.lastIndexOf(':');
        try {
            return colon < 1 ? null : new InetSocketAddress(udp.substring(0, colon), Integer.parseInt(udp.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        TraceHeader trace = TraceHeader.parse(header.get());
        if (trace != null && trace.sampled()) {
            attributes.putAttribute(HEADER, trace);
            attributes.putAttribute(STARTED, nowMicros());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String requestId = context.response() instanceof AwsResponse response ? response.responseMetadata().requestId() : null;
        record(context.request(), attributes, context.httpResponse().statusCode(), requestId);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        int status = context.httpResponse().map(r -> r.statusCode()).orElse(0);
        record(context.request(), attributes, status, null);
    }

    private void record(SdkRequest request, ExecutionAttributes attributes, int status, String requestId) {
        TraceHeader trace = attributes.getAttribute(HEADER);
        Long started = attributes.getAttribute(STARTED);
        if (trace == null || started == null) {
            return;
        }
        try {
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
            String document = subsegment(trace, SERVICES.getOrDefault(service, service),
                    attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), resource(request), requestId, status,
                    started, nowMicros());
            send(document);
        } catch (IOException | RuntimeException e) {
            // Tracing is best effort: the call itself succeeded or failed on its own.
        }
    }

    /** The resource the call is about, under X-Ray's names for it. */
    private static String[] resource(SdkRequest request) {
        for (String[] field : new String[][]{{"TableName", "table_name"}, {"QueueUrl", "queue_url"}, {"Bucket", "bucket_name"}}) {
            Optional<String> value = request.getValueForField(field[0], String.class);
            if (value.isPresent()) {
                return new String[]{field[1], value.get()};
            }
        }
        return null;
    }

    /** One X-Ray subsegment document, sent on its own with its trace and parent ids. */
    static String subsegment(TraceHeader trace, String service, String operation, String[] resource, String requestId,
                             int status, long startMicros, long endMicros) {
        StringBuilder json = new StringBuilder(384).append('{');
        field(json, "name", service).append(',');
        field(json, "id", newId()).append(',');
        field(json, "trace_id", trace.root()).append(',');
        field(json, "parent_id", trace.parent()).append(',');
        json.append("\"start_time\":").append(seconds(startMicros)).append(",\"end_time\":").append(seconds(endMicros)).append(',');
        field(json, "type", "subsegment").append(',');
        field(json, "namespace", "aws").append(",\"aws\":{");
        field(json, "operation", operation == null ? "" : operation);
        if (resource != null) {
            field(json.append(','), resource[0], resource[1]);
        }
        if (requestId != null) {
            field(json.append(','), "request_id", requestId);
        }
        json.append('}');
        if (status > 0) {
            json.append(",\"http\":{\"response\":{\"status\":").append(status).append("}}");
        }
        if (status == 429) {
            json.append(",\"throttle\":true");
        }
        if (status == 0 || status >= 500) {
            json.append(",\"fault\":true");
        } else if (status >= 400) {
            json.append(",\"error\":true");
        }
        return json.append('}').toString();
    }

    private synchronized void send(String document) throws IOException {
        if (socket == null) {
            socket = new DatagramSocket();
        }
        byte[] body = document.getBytes(StandardCharsets.UTF_8);
        byte[] packet = new byte[DAEMON_HEADER.length + body.length];
        System.arraycopy(DAEMON_HEADER, 0, packet, 0, DAEMON_HEADER.length);
        System.arraycopy(body, 0, packet, DAEMON_HEADER.length, body.length);
        socket.send(new DatagramPacket(packet, packet.length, daemon));
    }

    private static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static String seconds(long micros) {
        return (micros / 1_000_000L) + "." + String.format("%06d", micros % 1_000_000L);
    }

    private static String newId() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"');
    }

    /** {@code Root=1-...;Parent=...;Sampled=1}: the trace, the segment to hang the call under, and whether it is recorded. */
    record TraceHeader(String root, String parent, boolean sampled) {
        static TraceHeader parse(String header) {
            if (header == null || header.isBlank()) {
                return null;
            }
            String root = null;
            String parent = null;
            boolean sampled = false;
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                switch (key) {
                    case "Root" -> root = value;
                    case "Parent" -> parent = value;
                    case "Sampled" -> sampled = value.equals("1");
                    default -> { }
                }
            }
            return root == null || parent == null ? null : new TraceHeader(root, parent, sampled);
        }
    }
}
