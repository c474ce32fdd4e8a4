package dev.roleproof.local.enforce;

import dev.roleproof.engine.Evaluator;
import java.net.URI;
import java.util.List;

/**
 * An HTTP proxy on 127.0.0.1:&lt;free port&gt; in front of moto that judges every AWS call made with a function's
 * credentials with RoleProof's engine.
 *
 * <p>Point an SDK client's endpointOverride at {@link #endpoint()} (S3 with forcePathStyle). The caller comes from the
 * SigV4 Authorization header's access key id: keys given to {@link #registerCredentials}, and keys returned by
 * AssumeRole responses that pass through the proxy (registered as that assumed-role session in the role's account).
 * A denied call gets the service's own AccessDenied error (so the SDK raises SqsException, DynamoDbException,
 * S3Exception or StsException as in AWS); an allowed call is forwarded to moto unchanged, with x-moto-account-id set
 * to the caller's account. Calls with no or an unknown key are RoleProof's own setup: forwarded unjudged, recorded as
 * {@link CallRecord#ADMIN}.
 */
public final class EnforcingProxy implements AutoCloseable {

  /** Starts the proxy; {@code moto} is the moto endpoint (http://127.0.0.1:PORT). */
  public static EnforcingProxy start(URI moto, PolicySource policies, Evaluator evaluator) {
    throw new UnsupportedOperationException("being written");
  }

  /** http://127.0.0.1:PORT, without a trailing slash. */
  public URI endpoint() {
    throw new UnsupportedOperationException("being written");
  }

  /** Calls signed with this access key id are made by {@code principal}. */
  public void registerCredentials(String accessKeyId, Principal principal) {
    throw new UnsupportedOperationException("being written");
  }

  /** Every call seen, judged or admin, in order. A snapshot; safe from any thread. */
  public List<CallRecord> calls() {
    throw new UnsupportedOperationException("being written");
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("being written");
  }
}
