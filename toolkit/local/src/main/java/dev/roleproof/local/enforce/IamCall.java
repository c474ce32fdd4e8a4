package dev.roleproof.local.enforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One (action, resource) pair an HTTP request needs authorised; a request may need several (BatchGetItem over two
 * tables, CopyObject reads one object and writes another), all of which must be allowed.
 *
 * @param resourceAccount the account owning the resource when the ARN does not say (S3); null otherwise
 */
record IamCall(String action, String resource, String resourceAccount, Map<String, List<String>> context) {
    IamCall {
        context = Map.copyOf(context);
    }

    static IamCall of(String action, String resource) {
        return new IamCall(action, resource, null, Map.of());
    }

    IamCall with(String key, String value) {
        if (value == null) {
            return this;
        }
        Map<String, List<String>> copy = new LinkedHashMap<>(context);
        copy.put(key, List.of(value));
        return new IamCall(action, resource, resourceAccount, copy);
    }

    IamCall withAll(String key, List<String> values) {
        if (values == null || values.isEmpty()) {
            return this;
        }
        Map<String, List<String>> copy = new LinkedHashMap<>(context);
        copy.put(key, List.copyOf(values));
        return new IamCall(action, resource, resourceAccount, copy);
    }

    IamCall inAccount(String account) {
        return new IamCall(action, resource, account, context);
    }
}
