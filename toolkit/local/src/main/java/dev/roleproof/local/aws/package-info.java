/**
 * moto as the local AWS: {@link dev.roleproof.local.aws.MotoServer} starts {@code moto_server} on 127.0.0.1 at a free
 * port (stopped by PID, also from a JVM shutdown hook) or attaches to a running one. A missing moto is a {@link
 * dev.roleproof.local.aws.MotoMissingException} whose one-line message says how to install it; any other failure a
 * {@link dev.roleproof.local.aws.MotoException}. Moto's IAM checks stay off: the enforcing proxy is the authority.
 */
package dev.roleproof.local.aws;
