package dev.glint.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The WebSocket API's {@code $connect} REQUEST authorizer. Browsers cannot set headers on a
 * WebSocket, so the token the HTTP API takes as {@code Authorization: Bearer} comes as the {@code token}
 * query parameter. A valid token is allowed to connect as its user: the policy allows the
 * {@code methodArn} and the context carries {@code userId} and {@code username}, which API Gateway
 * hands to every later route of the connection. Anything else is denied (API Gateway answers 403 and
 * no connection is made).
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizerHandler.class);
    public static final String TOKEN_PARAMETER = "token";
    public static final String CONTEXT_USER_ID = "userId";
    public static final String CONTEXT_USERNAME = "username";

    private final JwtVerifier verifier;

    /** Lambda's: configured from the environment. */
    public AuthorizerHandler() {
        this(AuthorizerComposition.fromEnvironment(System.getenv()).verifier());
    }

    public AuthorizerHandler(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        String methodArn = event.getMethodArn();
        Map<String, String> query = event.getQueryStringParameters();
        Optional<JwtVerifier.Claims> claims = Optional.ofNullable(query).map(q -> q.get(TOKEN_PARAMETER))
                .flatMap(verifier::verify);
        if (claims.isEmpty()) {
            LOG.info("connection denied: {} token", query == null || !query.containsKey(TOKEN_PARAMETER) ? "no" : "an invalid");
            return policy("anonymous", IamPolicyResponseV1.denyStatement(methodArn), Map.of());
        }
        return policy(claims.get().userId(), IamPolicyResponseV1.allowStatement(methodArn),
                Map.of(CONTEXT_USER_ID, claims.get().userId(), CONTEXT_USERNAME, claims.get().username()));
    }

    private static IamPolicyResponseV1 policy(String principal, IamPolicyResponseV1.Statement statement,
                                              Map<String, Object> context) {
        return IamPolicyResponseV1.builder()
                .withPrincipalId(principal)
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(statement))
                        .build())
                .withContext(context)
                .build();
    }
}
