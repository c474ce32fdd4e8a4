package dev.roleproof.check.rules;

import dev.roleproof.check.Check;
import dev.roleproof.check.CheckContext;
import dev.roleproof.check.CheckInfo;
import dev.roleproof.check.Finding;
import dev.roleproof.check.Severity;
import dev.roleproof.template.EventSourceMapping;
import dev.roleproof.template.FunctionSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A handler known to return partial batch responses (the reference handlers, or a function with the Metadata hint
 * {@code RoleProof: ReportsBatchItemFailures: true}), on a mapping without FunctionResponseTypes
 * ReportBatchItemFailures: Lambda then ignores the response, so a batch with failed items counts as a success and
 * those items are lost (SQS) or skipped (streams) (SAM#2256).
 */
public final class BatchItemFailuresCheck implements Check {

    public static final CheckInfo INFO = new CheckInfo(
            "batch-item-failures",
            Severity.WARNING,
            "The handler returns partial batch responses but the mapping lacks FunctionResponseTypes:"
                    + " [ReportBatchItemFailures], so Lambda ignores them.",
            "Add FunctionResponseTypes: [ReportBatchItemFailures] to {0}.");

    /**
     * Handlers known to return SQSBatchResponse / StreamsEventResponse: the reference stack's (the handlers, and the
     * classes the template names, which add the self-check to them).
     */
    static final Set<String> KNOWN_BATCH_HANDLERS = Set.of(
            "dev.roleproof.sqsconsumer.SqsConsumerFunction",
            "dev.roleproof.sqsconsumer.SqsConsumerHandler",
            "dev.roleproof.ddbstream.DdbStreamProcessorFunction",
            "dev.roleproof.ddbstream.DdbStreamProcessorHandler");

    @Override
    public CheckInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> run(CheckContext c) {
        List<Finding> out = new ArrayList<>();
        Map<String, FunctionSpec> functions = new HashMap<>();
        c.template().functions().forEach(f -> functions.put(f.logicalId(), f));
        for (EventSourceMapping m : c.template().mappings()) {
            if (!Set.of("SQS", "DynamoDB", "Kinesis").contains(m.sourceType())
                    || m.reportsBatchItemFailures()
                    || m.functionLogicalId() == null) {
                continue;
            }
            FunctionSpec f = functions.get(m.functionLogicalId());
            if (f == null || !(returnsBatchResponses(f) || hinted(f))) {
                continue;
            }
            out.add(INFO.finding(
                    m.logicalId(),
                    "handler " + f.handler()
                            + " returns partial batch responses, but mapping " + m.logicalId()
                            + " has no FunctionResponseTypes:"
                            + " [ReportBatchItemFailures]: Lambda ignores them and treats a batch with failed items as processed.",
                    "add FunctionResponseTypes: [ReportBatchItemFailures] to " + m.logicalId(),
                    m.line(),
                    c.template().file()));
        }
        return out;
    }

    /** The hint {@code Metadata: RoleProof: ReportsBatchItemFailures: true} on the function. */
    static boolean hinted(FunctionSpec f) {
        Object roleProof = f.metadata().get("RoleProof");
        Object v = roleProof instanceof Map<?, ?> m ? m.get("ReportsBatchItemFailures") : null;
        return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v));
    }

    static boolean returnsBatchResponses(FunctionSpec f) {
        String handler = f.handler() == null ? "" : f.handler();
        int sep = handler.indexOf("::");
        String cls = sep >= 0 ? handler.substring(0, sep) : handler;
        return KNOWN_BATCH_HANDLERS.contains(cls);
    }
}
