package dev.roleproof.local.enforce;

import java.util.Objects;

/**
 * Who makes a call: the ARN the engine sees as the principal (a session ARN such as
 * arn:aws:sts::111111111111:assumed-role/SqsConsumerRole/SqsConsumerFunction, or a user ARN) and its account, which
 * also picks the moto account the call lands in.
 */
public record Principal(String arn, String account) {
    public Principal {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(account, "account");
    }
}
