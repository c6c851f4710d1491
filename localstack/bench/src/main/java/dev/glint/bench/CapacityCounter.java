package dev.glint.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Asks DynamoDB for the capacity each request consumes ({@code ReturnConsumedCapacity=TOTAL}) and adds
 * it up as read and write request units, which is how on-demand tables are billed. Benchmark code only:
 * functions never ask for it. A write refused by its condition also consumes units but returns an
 * error without them, so those are not counted.
 */
final class CapacityCounter implements ExecutionInterceptor {

    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (request instanceof GetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof QueryRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof ScanRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof BatchGetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof TransactGetItemsRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof PutItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof UpdateItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof DeleteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof BatchWriteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof TransactWriteItemsRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        if (response instanceof GetItemResponse r) {
            add(readUnits, r.consumedCapacity());
        } else if (response instanceof QueryResponse r) {
            add(readUnits, r.consumedCapacity());
        } else if (response instanceof ScanResponse r) {
            add(readUnits, r.consumedCapacity());
        } else if (response instanceof BatchGetItemResponse r) {
            add(readUnits, r.consumedCapacity());
        } else if (response instanceof TransactGetItemsResponse r) {
            add(readUnits, r.consumedCapacity());
        } else if (response instanceof PutItemResponse r) {
            add(writeUnits, r.consumedCapacity());
        } else if (response instanceof UpdateItemResponse r) {
            add(writeUnits, r.consumedCapacity());
        } else if (response instanceof DeleteItemResponse r) {
            add(writeUnits, r.consumedCapacity());
        } else if (response instanceof BatchWriteItemResponse r) {
            add(writeUnits, r.consumedCapacity());
        } else if (response instanceof TransactWriteItemsResponse r) {
            add(writeUnits, r.consumedCapacity());
        }
    }

    private static void add(DoubleAdder into, ConsumedCapacity capacity) {
        if (capacity != null && capacity.capacityUnits() != null) {
            into.add(capacity.capacityUnits());
        }
    }

    private static void add(DoubleAdder into, List<ConsumedCapacity> capacities) {
        if (capacities != null) {
            capacities.forEach(c -> add(into, c));
        }
    }

    double readUnits() {
        return readUnits.sum();
    }

    double writeUnits() {
        return writeUnits.sum();
    }

    void reset() {
        readUnits.reset();
        writeUnits.reset();
    }
}
