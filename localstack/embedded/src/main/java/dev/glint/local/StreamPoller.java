package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.lambda.LocalContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * Lambda's DynamoDB stream event source mapping, locally: reads every shard of the table's stream
 * in order (a child shard after its parent), hands batches to the stream processor and honours
 * {@code ReportBatchItemFailures}: the next batch starts at the record the handler reported. A record
 * that still fails after {@code maxRetryAttempts} retries is isolated (Lambda's bisect-on-error
 * down to one record), described on the failure queue (the on-failure destination) and skipped, so
 * the rest of the shard proceeds. Positions are checkpointed in the data folder across restarts.
 */
final class StreamPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;
    private final String streamArn;
    private final String failureQueueUrl;
    private final RequestHandler<DynamodbEvent, StreamsEventResponse> handler;
    private final String functionName;
    private final int batchSize;
    private final int maxRetryAttempts;
    private final Path checkpointFile;
    private final Properties checkpoints = new Properties();
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** True after a pass that found no new record in any shard and no batch waiting to be retried. */
    private volatile boolean caughtUp;
    private long lastDiscovery;

    StreamPoller(DynamoDbStreamsClient streams, SqsClient sqs, String streamArn, String failureQueueUrl,
                 String functionName, RequestHandler<DynamodbEvent, StreamsEventResponse> handler,
                 int batchSize, int maxRetryAttempts, Path checkpointFile) {
        this.streams = streams;
        this.sqs = sqs;
        this.streamArn = streamArn;
        this.failureQueueUrl = failureQueueUrl;
        this.functionName = functionName;
        this.handler = handler;
        this.batchSize = batchSize;
        this.maxRetryAttempts = maxRetryAttempts;
        this.checkpointFile = checkpointFile;
        loadCheckpoints();
        this.thread = new Thread(this::run, "glint-stream-" + functionName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            try {
                if (System.currentTimeMillis() - lastDiscovery > 1_000) {
                    discoverShards();
                }
                boolean any = false;
                boolean waiting = false;
                for (ShardState shard : List.copyOf(shards.values())) {
                    if (finished.contains(shard.id)) {
                        continue;
                    }
                    if (shard.parent == null || finished.contains(shard.parent) || !shards.containsKey(shard.parent)) {
                        any |= poll(shard);
                        waiting |= shard.failedSequence != null;
                    } else {
                        waiting = true;
                    }
                }
                caughtUp = !any && !waiting;
                if (!any) {
                    Thread.sleep(250);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                caughtUp = false;
                if (running) {
                    LOG.warn("reading the stream failed; retrying", e);
                    Pause.quietly(500);
                }
            }
        }
    }

    private void discoverShards() {
        lastDiscovery = System.currentTimeMillis();
        String start = null;
        do {
            String exclusiveStart = start;
            var description = streams.describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(exclusiveStart))
                    .streamDescription();
            for (Shard shard : description.shards()) {
                shards.computeIfAbsent(shard.shardId(), id -> new ShardState(id, shard.parentShardId()));
            }
            start = description.lastEvaluatedShardId();
        } while (start != null);
    }

    /** Reads and delivers one batch of a shard; true if it found records. */
    private boolean poll(ShardState shard) {
        if (shard.iterator == null) {
            String after = checkpoints.getProperty(shard.id);
            shard.iterator = after == null
                    ? iterator(shard.id, ShardIteratorType.TRIM_HORIZON, null)
                    : iterator(shard.id, ShardIteratorType.AFTER_SEQUENCE_NUMBER, after);
        }
        GetRecordsResponse page = streams.getRecords(r -> r.shardIterator(shard.iterator).limit(batchSize));
        List<Record> records = page.records();
        if (records.isEmpty()) {
            shard.iterator = page.nextShardIterator();
            if (shard.iterator == null) {
                finished.add(shard.id);
            }
            return false;
        }
        String failedAt = invoke(records);
        if (failedAt == null) {
            checkpoint(shard.id, records.get(records.size() - 1).dynamodb().sequenceNumber());
            shard.iterator = page.nextShardIterator();
            shard.failedSequence = null;
            shard.attempts = 0;
            if (shard.iterator == null) {
                finished.add(shard.id);
            }
            return true;
        }
        // Everything before the failed record succeeded: checkpoint the last of those, once.
        String lastApplied = null;
        for (Record record : records) {
            if (record.dynamodb().sequenceNumber().equals(failedAt)) {
                break;
            }
            lastApplied = record.dynamodb().sequenceNumber();
        }
        if (lastApplied != null) {
            checkpoint(shard.id, lastApplied);
        }
        shard.attempts = failedAt.equals(shard.failedSequence) ? shard.attempts + 1 : 1;
        shard.failedSequence = failedAt;
        if (shard.attempts > maxRetryAttempts) {
            Record poison = records.stream().filter(r -> r.dynamodb().sequenceNumber().equals(failedAt)).findFirst()
                    .orElse(records.get(0));
            sendToFailureQueue(shard.id, poison, shard.attempts);
            checkpoint(shard.id, failedAt);
            shard.iterator = iterator(shard.id, ShardIteratorType.AFTER_SEQUENCE_NUMBER, failedAt);
            shard.failedSequence = null;
            shard.attempts = 0;
        } else {
            shard.iterator = iterator(shard.id, ShardIteratorType.AT_SEQUENCE_NUMBER, failedAt);
            Pause.quietly(Math.min(2_000, 100L << Math.min(shard.attempts, 4)));
        }
        return true;
    }

    /** Hands a batch to the function; returns the sequence number to retry from, or null if all succeeded. */
    private String invoke(List<Record> records) {
        String first = records.get(0).dynamodb().sequenceNumber();
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records.stream().map(this::toRecord).toList());
        try {
            StreamsEventResponse response = handler.handleRequest(event, LocalContext.forInvocation(functionName, 60_000));
            if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
                return null;
            }
            String lowest = null;
            for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                String id = failure.getItemIdentifier();
                boolean known = id != null && records.stream().anyMatch(r -> r.dynamodb().sequenceNumber().equals(id));
                if (!known) {
                    LOG.error("{} reported failure of unknown record {}: retrying the whole batch", functionName, id);
                    return first;
                }
                if (lowest == null || new java.math.BigInteger(id).compareTo(new java.math.BigInteger(lowest)) < 0) {
                    lowest = id;
                }
            }
            return lowest;
        } catch (RuntimeException e) {
            LOG.error("{} failed a batch of {} records: retrying the whole batch", functionName, records.size(), e);
            return first;
        }
    }

    private void sendToFailureQueue(String shardId, Record record, int attempts) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("shardId", shardId);
        info.put("startSequenceNumber", record.dynamodb().sequenceNumber());
        info.put("endSequenceNumber", record.dynamodb().sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", String.valueOf(record.dynamodb().approximateCreationDateTime()));
        info.put("approximateArrivalOfLastRecord", String.valueOf(record.dynamodb().approximateCreationDateTime()));
        info.put("batchSize", 1);
        info.put("streamArn", streamArn);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestContext", Map.of(
                "requestId", UUID.randomUUID().toString(),
                "functionArn", LocalContext.forInvocation(functionName, 0).getInvokedFunctionArn(),
                "condition", "RetryAttemptsExhausted",
                "approximateInvokeCount", attempts));
        body.put("version", "1.0");
        body.put("timestamp", Instant.now().toString());
        body.put("DDBStreamBatchInfo", info);
        try {
            String json = JSON.writeValueAsString(body);
            sqs.sendMessage(r -> r.queueUrl(failureQueueUrl).messageBody(json));
            LOG.error("stream record {} of shard {} failed {} times; described on the failure queue and skipped",
                    record.dynamodb().sequenceNumber(), shardId, attempts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String iterator(String shardId, ShardIteratorType type, String sequence) {
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(type).sequenceNumber(sequence)).shardIterator();
    }

    private DynamodbEvent.DynamodbStreamRecord toRecord(Record record) {
        DynamodbEvent.DynamodbStreamRecord out = new DynamodbEvent.DynamodbStreamRecord();
        out.setEventID(record.eventID());
        out.setEventName(record.eventNameAsString());
        out.setEventVersion(record.eventVersion());
        out.setEventSource("aws:dynamodb");
        out.setAwsRegion(LocalContext.REGION);
        out.setEventSourceARN(streamArn);
        var body = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord();
        var in = record.dynamodb();
        if (in.approximateCreationDateTime() != null) {
            body.setApproximateCreationDateTime(Date.from(in.approximateCreationDateTime()));
        }
        body.setKeys(convert(in.keys()));
        body.setNewImage(in.hasNewImage() ? convert(in.newImage()) : null);
        body.setOldImage(in.hasOldImage() ? convert(in.oldImage()) : null);
        body.setSequenceNumber(in.sequenceNumber());
        body.setSizeBytes(in.sizeBytes());
        if (in.streamViewType() != null) {
            body.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.fromValue(in.streamViewTypeAsString()));
        }
        out.setDynamodb(body);
        return out;
    }

    static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> convert(
            Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out = new LinkedHashMap<>();
        item.forEach((name, value) -> out.put(name, convert(value)));
        return out;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue convert(AttributeValue v) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        switch (v.type()) {
            case S -> out.setS(v.s());
            case N -> out.setN(v.n());
            case B -> out.setB(v.b().asByteBuffer());
            case BOOL -> out.setBOOL(v.bool());
            case NUL -> out.setNULL(true);
            case SS -> out.setSS(v.ss());
            case NS -> out.setNS(v.ns());
            case BS -> out.setBS(v.bs().stream().map(b -> b.asByteBuffer()).toList());
            case M -> out.setM(convert(v.m()));
            case L -> out.setL(v.l().stream().map(StreamPoller::convert).toList());
            default -> throw new IllegalArgumentException("unknown attribute type " + v.type());
        }
        return out;
    }

    private void checkpoint(String shardId, String sequence) {
        checkpoints.setProperty(shardId, sequence);
        if (checkpointFile == null) {
            return;
        }
        try {
            Path tmp = checkpointFile.resolveSibling(checkpointFile.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(tmp)) {
                checkpoints.store(writer, "last processed sequence number per shard");
            }
            Files.move(tmp, checkpointFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write stream checkpoints " + checkpointFile, e);
        }
    }

    private void loadCheckpoints() {
        if (checkpointFile == null || !Files.exists(checkpointFile)) {
            return;
        }
        try (Reader reader = Files.newBufferedReader(checkpointFile)) {
            checkpoints.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stream checkpoints " + checkpointFile, e);
        }
    }

    /**
     * Whether the last pass over the stream found nothing left to deliver: every open shard read to
     * its end and no failed batch waiting for its retry. Tests use it to know the counts have settled.
     */
    boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }

    private static final class ShardState {
        final String id;
        final String parent;
        String iterator;
        String failedSequence;
        int attempts;

        ShardState(String id, String parent) {
            this.id = id;
            this.parent = parent;
        }
    }
}
