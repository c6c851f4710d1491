package dev.glint.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.glint.local.versions.SplitHandler;
import dev.glint.local.versions.VersionStore;
import dev.glint.shared.resources.GlintResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Sticky traffic splits on a running stack ({@code ./glint split}): the api behind the local gateway
 * becomes a {@link SplitHandler} over the versions published in the data folder, which serves the
 * stack's own build until a split is set. Decorate the stack's options with {@link #decorator()}, then
 * {@link #start} it once the stack is up (the versions need its environment).
 */
public final class VersionSplits implements AutoCloseable {

    private static final Logger OUTPUT = LoggerFactory.getLogger("dev.glint.local.versions.output");

    private final VersionStore store;
    private volatile SplitHandler handler;

    public VersionSplits(Path dataDir) {
        this.store = new VersionStore(dataDir);
    }

    /** Puts the split in front of the api's handler. */
    public EmbeddedStack.HandlerDecorator decorator() {
        return new EmbeddedStack.HandlerDecorator() {
            @Override
            @SuppressWarnings("unchecked")
            public <I, O> RequestHandler<I, O> decorate(String function, RequestHandler<I, O> own) {
                if (!function.equals(GlintResources.API_FUNCTION.name())) {
                    return own;
                }
                handler = new SplitHandler(function, (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) (RequestHandler<?, ?>) own,
                        store, OUTPUT::info);
                return (RequestHandler<I, O>) (RequestHandler<?, ?>) handler;
            }
        };
    }

    /** Starts following the data folder's split, with the stack's environment for the versions. */
    public void start(EmbeddedStack stack) {
        if (handler == null) {
            throw new IllegalStateException("the stack was not started with VersionSplits.decorator()");
        }
        handler.start(stack.functionEnvironment(), stack.metrics(), GlintResources.API_FUNCTION.timeoutSeconds() * 1000);
    }

    public SplitHandler handler() {
        return handler;
    }

    @Override
    public void close() {
        if (handler != null) {
            handler.close();
        }
    }
}
