package dev.roleproof.selfcheck;

import java.util.Objects;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart runtime hooks (org.crac) for a handler: before Lambda snapshots the initialised environment, the
 * self-check runs once (read-only probes and GetCallerIdentity, so the whole SDK call path of the function's clients
 * is loaded, linked and exercised without changing data) and then the handler's own primer; after a restore the
 * self-check forgets that run and starts again in the background, so the first invocation reports on the restored
 * environment, on code that is now warm. (Credentials providers keep what they cached before the snapshot until it
 * nears expiry: the identity is the same role either way.)
 *
 * <p>Without SnapStart (on-demand init, sam local, tests) org.crac registers into a context that never fires: the
 * hooks cost nothing.
 */
public final class SnapStartPriming implements Resource {

    private final SelfCheck selfCheck;
    private final Runnable primeHandlerPath;

    private SnapStartPriming(SelfCheck selfCheck, Runnable primeHandlerPath) {
        this.selfCheck = Objects.requireNonNull(selfCheck, "selfCheck");
        this.primeHandlerPath = Objects.requireNonNull(primeHandlerPath, "primeHandlerPath");
    }

    /**
     * Registers the hooks; keep the returned object in a field of the handler: CRaC holds resources weakly.
     *
     * @param primeHandlerPath warms what the handler does with an event, without side effects (parse a sample,
     *                         never write)
     */
    public static SnapStartPriming register(SelfCheck selfCheck, Runnable primeHandlerPath) {
        SnapStartPriming priming = new SnapStartPriming(selfCheck, primeHandlerPath);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        selfCheck.resetAfterRestore();
        // As at an on-demand init: the calls overlap the runtime's own work and the first invocation reports them.
        selfCheck.startEarly();
    }

    /** What beforeCheckpoint does; public so a test or a provisioned-concurrency init can prime the same way. */
    public void prime() {
        if (selfCheck.mode() != SelfCheck.Mode.OFF) {
            selfCheck.run("priming before the SnapStart snapshot: identity and probes of the published version's"
                    + " initialisation; the first invocation after a restore runs again");
        }
        primeHandlerPath.run();
    }
}
