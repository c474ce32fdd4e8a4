package dev.roleproof.local.enforce;

import java.util.List;

/**
 * What a request means to IAM.
 *
 * @param operation the API operation, e.g. ReceiveMessage (for messages and records)
 * @param calls the (action, resource) pairs that must all be allowed; empty when {@code exempt}
 * @param exempt AWS authorises it without a policy (sts:GetCallerIdentity)
 * @param unmapped why the proxy cannot tell which action this is (the call is then denied: fail closed); else null
 */
record Mapping(Protocol protocol, String operation, List<IamCall> calls, boolean exempt, String unmapped) {
    Mapping {
        calls = List.copyOf(calls);
    }

    static Mapping of(Protocol protocol, String operation, List<IamCall> calls) {
        return new Mapping(protocol, operation, calls, false, null);
    }

    static Mapping of(Protocol protocol, String operation, IamCall call) {
        return of(protocol, operation, List.of(call));
    }

    static Mapping exempt(Protocol protocol, String operation, String action) {
        return new Mapping(protocol, operation, List.of(IamCall.of(action, "*")), true, null);
    }

    static Mapping unmapped(Protocol protocol, String operation, String why) {
        return new Mapping(protocol, operation, List.of(), false, why);
    }
}
