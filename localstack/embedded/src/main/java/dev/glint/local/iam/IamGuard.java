package dev.glint.local.iam;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.util.List;
import java.util.Optional;

/**
 * Enforces one function's role on its AWS clients (an SDK interceptor): each DynamoDB, SQS and S3
 * call is evaluated against the role's policies before it is sent; a denied one is logged with the
 * function, action and resource, and redirected to {@link DenyEndpoint}, which answers as AWS does.
 */
public final class IamGuard implements ExecutionInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(IamGuard.class);

    private final String function;
    private final String roleArn;
    private final PolicyEvaluator policies;
    private final AwsActions actions;
    private final IamLedger ledger;
    private final int denyPort;
    private final java.util.Set<String> unmapped = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public IamGuard(String function, String roleArn, PolicyEvaluator policies, AwsActions actions, IamLedger ledger,
                    int denyPort) {
        this.function = function;
        this.roleArn = roleArn;
        this.policies = policies;
        this.actions = actions;
        this.ledger = ledger;
        this.denyPort = denyPort;
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        Optional<String> service = AwsActions.service(request);
        if (service.isEmpty()) {
            // Glint's functions call DynamoDB, SQS, S3 and SES only; a new service must get its mapping before it is checked.
            String call = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + " "
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (unmapped.add(call)) {
                LOG.warn("IAM NOT CHECKED for {}: {} has no IAM mapping in the local stack (AwsActions); add one", function, call);
            }
            return context.httpRequest();
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        List<AccessRequest> asked = actions.of(service.get(), operation, request);
        for (AccessRequest access : asked) {
            PolicyEvaluator.Decision decision = policies.evaluate(access);
            ledger.record(function, access, decision);
            if (!decision.allowed()) {
                String message = "User: " + roleArn + "/" + function + " is not authorized to perform: " + access.action()
                        + " on resource: " + access.resource() + " (" + decision.reason() + ")";
                LOG.warn("IAM denied {}: {} on {} ({})", function, access.action(), access.resource(), decision.reason());
                return context.httpRequest().toBuilder()
                        .protocol("http").host("127.0.0.1").port(denyPort)
                        .putHeader(DenyEndpoint.SERVICE_HEADER, service.get())
                        .putHeader(DenyEndpoint.MESSAGE_HEADER, message.replaceAll("[\\r\\n]", " "))
                        .build();
            }
        }
        return context.httpRequest();
    }
}
