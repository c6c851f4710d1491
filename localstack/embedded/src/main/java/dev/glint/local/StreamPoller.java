package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.lambda.LocalContext;
import dev.glint.lambda.StreamBatchProcessor;
import dev.glint.shared.aws.ChangeRecord;
import dev.glint.shared.aws.StreamFilter;
import dev.glint.shared.resources.GlintResources;
import dev.glint.shared.resources.GlintResources.StreamConsumerSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
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
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Lambda's DynamoDB stream event source mapping, locally, with the settings of a
 * {@link StreamConsumerSpec}: reads every shard of the table's stream in order (a child shard after
 * its parent) and hands batches of up to {@code batchSize} records to the stream processor, one
 * batch of a shard at a time. What happens when the function fails follows Lambda's rules (the
 * rules and where they come from: infra-cdk/README.md, "When a stream batch keeps failing"):
 * <ul>
 *   <li>a partial response ({@code ReportBatchItemFailures}) names the record to restart from: the
 *       records before the lowest named one are done, and the rest of the same batch is retried, as
 *       it is, even when that is the whole batch; that retry counts (without
 *       {@code ReportBatchItemFailures} the response is ignored, as Lambda ignores it);</li>
 *   <li>an error, or a response Lambda cannot use (an empty, missing or unknown identifier), fails
 *       the whole batch: with {@code bisectBatchOnFunctionError} a batch of more than one record is
 *       split into halves, retried first half first, and the split uses no retry; otherwise, and for
 *       a batch of one, the batch is retried and that counts;</li>
 *   <li>a batch that fails again after {@code maxRetryAttempts} retries is given up: every record
 *       in it is described, as one range, on the failure queue in the on-failure destination's
 *       format, and the shard goes on.</li>
 * </ul>
 * Like the deployed mapping, it hands the function only the records its event filter
 * ({@link StreamFilter}) lets through; a read that leaves none moves the shard on without an invocation.
 * Positions are checkpointed in the data folder across restarts; a batch being retried when the
 * stack stops is read again from the checkpoint.
 */
final class StreamPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Local pacing between retries of a batch (Lambda does not publish its own): 100 ms, doubling, at most 500 ms. */
    private static final long RETRY_DELAY_MS = 100;
    private static final long MAX_RETRY_DELAY_MS = 500;

    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;
    private final String streamArn;
    private final String failureQueueUrl;
    private final RequestHandler<DynamodbEvent, StreamsEventResponse> handler;
    private final StreamConsumerSpec settings;
    private final long timeoutMillis;
    private final Path checkpointFile;
    private final Properties checkpoints = new Properties();
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final Thread thread;
    /** The mapping's event filter; null when it has none. */
    private final Predicate<ChangeRecord> filter;
    private final FilterCounter filtering = new FilterCounter();
    private volatile boolean running = true;
    /** True after a pass that found no new record in any shard and no batch waiting to be retried. */
    private volatile boolean caughtUp;
    private long lastDiscovery;

    StreamPoller(DynamoDbStreamsClient streams, SqsClient sqs, String streamArn, String failureQueueUrl,
                 RequestHandler<DynamodbEvent, StreamsEventResponse> handler, StreamConsumerSpec settings, Path checkpointFile) {
        this(streams, sqs, streamArn, failureQueueUrl, handler, settings, checkpointFile, StreamFilter::matches);
    }

    /**
     * @param filter the mapping's event filter, as deployed: {@link StreamFilter#matches} for the code's
     *               own patterns, {@link StreamFilter#of} for a template's; null for a mapping without one
     */
    StreamPoller(DynamoDbStreamsClient streams, SqsClient sqs, String streamArn, String failureQueueUrl,
                 RequestHandler<DynamodbEvent, StreamsEventResponse> handler, StreamConsumerSpec settings, Path checkpointFile,
                 Predicate<ChangeRecord> filter) {
        this.filter = filter;
        this.streams = streams;
        this.sqs = sqs;
        this.streamArn = streamArn;
        this.failureQueueUrl = failureQueueUrl;
        this.handler = handler;
        this.settings = settings;
        this.timeoutMillis = GlintResources.FUNCTIONS.stream().filter(f -> f.name().equals(settings.function()))
                .findFirst().orElseThrow().timeoutSeconds() * 1000L;
        this.checkpointFile = checkpointFile;
        loadCheckpoints();
        this.thread = new Thread(this::run, "glint-stream-" + settings.function());
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
                        waiting |= !shard.pending.isEmpty();
                    } else {
                        waiting = true;
                    }
                }
                caughtUp = !any && !waiting;
                if (!any) {
                    Thread.sleep(waiting ? 20 : 250);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                caughtUp = false;
                if (running) {
                    LOG.warn("the stream consumer failed; retrying", e);
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

    /** One step on a shard: delivers its next batch, or reads one; true if it handed records to the function. */
    private boolean poll(ShardState shard) {
        if (shard.pending.isEmpty() && !read(shard)) {
            return false;
        }
        if (shard.pending.isEmpty()) {
            // Every record read was filtered out: the shard moved on without an invocation.
            return true;
        }
        Batch batch = shard.pending.peek();
        if (System.currentTimeMillis() < batch.notBefore) {
            return false;
        }
        if (batch.exhausted()) {
            // Given up earlier, but the failure queue could not be reached: describe it again.
            discard(shard, batch);
            return true;
        }
        Outcome outcome = invoke(batch);
        batch.invocations++;
        if (outcome instanceof Outcome.Success) {
            shard.pending.pop();
            checkpoint(shard, batch.last());
        } else if (outcome instanceof Outcome.RetryFrom retry) {
            // Everything before the reported record is done; the rest of this batch is retried as it is.
            int from = batch.indexOf(retry.sequenceNumber());
            if (from > 0) {
                checkpoint(shard, batch.records.get(from - 1).dynamodb().sequenceNumber());
            }
            Batch rest = batch.from(from);
            rest.retries = batch.retries + 1;
            shard.pending.pop();
            shard.pending.push(rest);
            retryOrGiveUp(shard, rest);
        } else if (outcome instanceof Outcome.Failed failed) {
            batch.lastError = failed.functionError();
            if (settings.bisectBatchOnFunctionError() && batch.records.size() > 1) {
                // Split, first half first; a split uses no retry.
                int half = (batch.records.size() + 1) / 2;
                shard.pending.pop();
                shard.pending.push(batch.slice(half, batch.records.size()));
                shard.pending.push(batch.slice(0, half));
            } else {
                batch.retries++;
                retryOrGiveUp(shard, batch);
            }
        }
        return true;
    }

    /** Reads the shard's next records into a batch; false if there were none. */
    private boolean read(ShardState shard) {
        if (shard.closed) {
            finished.add(shard.id);
            return false;
        }
        if (shard.iterator == null) {
            String after = checkpoints.getProperty(shard.id);
            shard.iterator = after == null
                    ? iterator(shard.id, ShardIteratorType.TRIM_HORIZON, null)
                    : iterator(shard.id, ShardIteratorType.AFTER_SEQUENCE_NUMBER, after);
        }
        GetRecordsResponse page;
        try {
            page = streams.getRecords(r -> r.shardIterator(shard.iterator).limit(settings.batchSize()));
        } catch (ExpiredIteratorException e) {
            // Nothing is in hand when the shard is read, so its checkpoint is where to go on from.
            shard.iterator = null;
            return false;
        }
        shard.iterator = page.nextShardIterator();
        if (shard.iterator == null) {
            // A closed shard: once what was read is delivered, its children may start.
            shard.closed = true;
        }
        if (page.records().isEmpty()) {
            if (shard.closed) {
                finished.add(shard.id);
            }
            return false;
        }
        // Lambda filters before it batches: a record no pattern matches is done without an invocation.
        List<Record> matched = page.records().stream().filter(this::passesFilter).toList();
        filtering.read(page.records().size(), matched.size());
        if (matched.isEmpty()) {
            checkpoint(shard, page.records().get(page.records().size() - 1).dynamodb().sequenceNumber());
            return true;
        }
        shard.pending.push(new Batch(matched));
        return true;
    }

    private boolean passesFilter(Record record) {
        if (filter == null) {
            return true;
        }
        try {
            return filter.test(StreamBatchProcessor.toChange(toRecord(record)));
        } catch (RuntimeException e) {
            // A record Lambda could not read as a change is handed on, and the function decides.
            return true;
        }
    }

    /** How many records and pages the filter kept from the function, so far. */
    FilterCounts filterCounts() {
        return filtering.snapshot();
    }

    /**
     * Records read from the stream and passed to the function, and pages read (each would have been
     * one invocation of up to {@code batchSize} records without the filter) and of them pages with a
     * record left (one invocation each, before any retry).
     */
    record FilterCounts(long recordsRead, long recordsPassed, long pagesRead, long pagesPassed) {
    }

    private static final class FilterCounter {
        private long recordsRead;
        private long recordsPassed;
        private long pagesRead;
        private long pagesPassed;

        synchronized void read(int records, int passed) {
            recordsRead += records;
            recordsPassed += passed;
            pagesRead++;
            pagesPassed += passed > 0 ? 1 : 0;
        }

        synchronized FilterCounts snapshot() {
            return new FilterCounts(recordsRead, recordsPassed, pagesRead, pagesPassed);
        }
    }

    private void retryOrGiveUp(ShardState shard, Batch batch) {
        if (batch.exhausted()) {
            discard(shard, batch);
        } else {
            batch.notBefore = System.currentTimeMillis()
                    + Math.min(MAX_RETRY_DELAY_MS, RETRY_DELAY_MS << Math.min(batch.retries - 1, 10));
        }
    }

    /** Describes the batch on the failure queue, then moves the shard past it. */
    private void discard(ShardState shard, Batch batch) {
        sendToFailureQueue(shard.id, batch);
        shard.pending.pop();
        checkpoint(shard, batch.last());
    }

    /** Hands a batch to the function and reads its answer as Lambda would. */
    private Outcome invoke(Batch batch) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(batch.records.stream().map(this::toRecord).toList());
        StreamsEventResponse response;
        try {
            response = handler.handleRequest(event, LocalContext.forInvocation(settings.function(), timeoutMillis));
        } catch (RuntimeException e) {
            LOG.error("{} failed a batch of {} records", settings.function(), batch.records.size(), e);
            return new Outcome.Failed("Unhandled");
        }
        if (!settings.reportBatchItemFailures() || response == null || response.getBatchItemFailures() == null
                || response.getBatchItemFailures().isEmpty()) {
            return new Outcome.Success();
        }
        String lowest = null;
        for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            if (id == null || id.isEmpty() || batch.indexOf(id) < 0) {
                LOG.error("{} reported the failure of '{}', which is no record of its batch: the whole batch failed",
                        settings.function(), id);
                return new Outcome.Failed(null);
            }
            if (lowest == null || new BigInteger(id).compareTo(new BigInteger(lowest)) < 0) {
                lowest = id;
            }
        }
        return new Outcome.RetryFrom(lowest);
    }

    /** Lambda's on-failure destination record for a stream batch it gave up on (it holds no record data). */
    private void sendToFailureQueue(String shardId, Batch batch) {
        Record first = batch.records.get(0);
        Record last = batch.records.get(batch.records.size() - 1);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("shardId", shardId);
        info.put("startSequenceNumber", first.dynamodb().sequenceNumber());
        info.put("endSequenceNumber", last.dynamodb().sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", arrival(first));
        info.put("approximateArrivalOfLastRecord", arrival(last));
        info.put("batchSize", batch.records.size());
        info.put("streamArn", streamArn);
        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("requestId", UUID.randomUUID().toString());
        requestContext.put("functionArn", LocalContext.forInvocation(settings.function(), 0).getInvokedFunctionArn());
        requestContext.put("condition", "RetryAttemptsExhausted");
        requestContext.put("approximateInvokeCount", batch.invocations);
        Map<String, Object> responseContext = new LinkedHashMap<>();
        responseContext.put("statusCode", 200);
        responseContext.put("executedVersion", "$LATEST");
        responseContext.put("functionError", batch.lastError);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestContext", requestContext);
        body.put("responseContext", responseContext);
        body.put("version", "1.0");
        body.put("timestamp", Instant.now().toString());
        body.put("DDBStreamBatchInfo", info);
        try {
            String json = JSON.writeValueAsString(body);
            sqs.sendMessage(r -> r.queueUrl(failureQueueUrl).messageBody(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.error("{} stream records of shard {} ({} to {}) failed {} times; described on the failure queue and skipped",
                batch.records.size(), shardId, first.dynamodb().sequenceNumber(), last.dynamodb().sequenceNumber(),
                batch.invocations);
    }

    private static String arrival(Record record) {
        Instant at = record.dynamodb().approximateCreationDateTime();
        return at == null ? null : at.toString();
    }

    private String iterator(String shardId, ShardIteratorType type, String sequence) {
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(type).sequenceNumber(sequence)).shardIterator();
    }

    private DynamodbEvent.DynamodbStreamRecord toRecord(Record record) {
        return toRecord(record, streamArn);
    }

    /** A record read from the stream, as Lambda hands it to the function. */
    static DynamodbEvent.DynamodbStreamRecord toRecord(Record record, String streamArn) {
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

    private void checkpoint(ShardState shard, String sequence) {
        checkpoint(shard.id, sequence);
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
        /** The shard has no records beyond what was read. */
        boolean closed;
        /** Records read and not yet done, in shard order: the batch in hand first, then the halves waiting after it. */
        final Deque<Batch> pending = new ArrayDeque<>();

        ShardState(String id, String parent) {
            this.id = id;
            this.parent = parent;
        }
    }

    /** Consecutive records of one shard, handed to the function together. */
    private final class Batch {
        final List<Record> records;
        /** Retries since the batch was last split: a split starts the count again. */
        int retries;
        /** Invocations that held these records, including those of the batches they were split from. */
        int invocations;
        /** "Unhandled" if the last failure was an error; null if it was the function's answer. */
        String lastError;
        long notBefore;

        Batch(List<Record> records) {
            this.records = List.copyOf(records);
        }

        int indexOf(String sequenceNumber) {
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).dynamodb().sequenceNumber().equals(sequenceNumber)) {
                    return i;
                }
            }
            return -1;
        }

        String last() {
            return records.get(records.size() - 1).dynamodb().sequenceNumber();
        }

        boolean exhausted() {
            return settings.maxRetryAttempts() >= 0 && retries > settings.maxRetryAttempts();
        }

        /** The records from {@code index} on, as the batch to retry after a partial response. */
        Batch from(int index) {
            Batch rest = new Batch(records.subList(index, records.size()));
            rest.invocations = invocations;
            return rest;
        }

        /** One half of a split: no retry used yet. */
        Batch slice(int from, int to) {
            Batch half = new Batch(records.subList(from, to));
            half.invocations = invocations;
            half.lastError = lastError;
            return half;
        }
    }

    /** What the function's answer means for its batch. */
    private sealed interface Outcome {
        record Success() implements Outcome {
        }

        /** A partial response: retry from this record. */
        record RetryFrom(String sequenceNumber) implements Outcome {
        }

        /** The whole batch failed: an error ({@code functionError} "Unhandled") or an answer Lambda cannot use. */
        record Failed(String functionError) implements Outcome {
        }
    }
}
