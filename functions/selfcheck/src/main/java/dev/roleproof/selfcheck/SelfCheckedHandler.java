package dev.roleproof.selfcheck;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Objects;
import org.crac.Core;
import org.crac.Resource;

/**
 * Adds the self-check to a {@link RequestHandler} from outside: subclass it with the handler's event type, pass the
 * handler and the self-check's declaration, and name the subclass as the template's Handler. The handler itself stays
 * as it is.
 *
 * <pre>{@code
 * public class OrdersFunction extends SelfCheckedHandler<SQSEvent> {
 *     public OrdersFunction() {
 *         super(new OrdersHandler(), SelfCheck.builder(SQSEvent.class, "orders-queue")
 *                 .require("sqs:GetQueueAttributes", queueArn, () -> sqs.getQueueAttributes(r -> r.queueUrl(url)))
 *                 .forbid("sqs:ListQueues", "*", () -> sqs.listQueues(r -> r.maxResults(1))));
 *     }
 * }
 * }</pre>
 *
 * <p>What it owns:
 *
 * <ul>
 *   <li>the on-demand event {@code {"roleproof": "self-check"}}: answered with the report, the handler not called;
 *   <li>after each delivery, the self-check when ROLEPROOF_SELF_CHECK (off, first, every) says so, even when the
 *       handler failed; the handler's response is returned unchanged;
 *   <li>SnapStart: the CRaC hooks. beforeCheckpoint runs the self-check once, whose read-only calls warm the SDK path
 *       of the function's clients; afterRestore forgets it and starts the identity call and the declared probes
 *       again, so the first invocation reports on the restored environment;
 *   <li>the report: one JSON line on stdout.
 * </ul>
 *
 * <p>The Java runtime reads the event into {@code I} as for any RequestHandler (it resolves {@code I} through this
 * class), and writes the response, the handler's or the report, as JSON.
 *
 * @param <I> the handler's event type
 */
public abstract class SelfCheckedHandler<I> implements RequestHandler<I, Object>, Resource {

    private final RequestHandler<I, ?> handler;
    private final SelfCheck<I> selfCheck;

    protected SelfCheckedHandler(RequestHandler<I, ?> handler, SelfCheck.Builder<I> selfCheck) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.selfCheck = selfCheck.build();
        // CRaC holds resources weakly; the runtime holds this handler for the environment's life.
        Core.getGlobalContext().register(this);
        // At a cold start the identity call and the probes overlap the runtime reading the first event.
        this.selfCheck.startEarly();
    }

    @Override
    public Object handleRequest(I event, Context context) {
        if (SelfCheck.isOnDemandRequest(event)) {
            return selfCheck.runOnDemand().toMap();
        }
        try {
            return handler.handleRequest(event, context);
        } finally {
            selfCheck.runIfDue(event);
        }
    }

    /** The self-check, for tests and for priming outside SnapStart (provisioned concurrency). */
    public SelfCheck<I> selfCheck() {
        return selfCheck;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        selfCheck.prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        selfCheck.resetAfterRestore();
        selfCheck.startEarly();
    }
}
