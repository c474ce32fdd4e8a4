package dev.roleproof.local;

import dev.roleproof.local.runtime.FunctionRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pattern cross-account: the reader is invoked with events/cross-account-reader.json; its AssumeRole into account B
 * (A's identity policy and B's trust policy, ExternalId included) and its read in B (B's role policy) go through the
 * proxy like every other call.
 */
final class CrossAccountPattern {

    private final LocalRun.Context ctx;

    CrossAccountPattern(LocalRun.Context ctx) {
        this.ctx = ctx;
    }

    void run(LambdaService.Environment env, PatternRun run) {
        Path file = ctx.root().resolve("events/cross-account-reader.json");
        String payload;
        try {
            payload = Files.readString(file);
        } catch (IOException e) {
            run.fail("cannot read " + file + ": " + e.getMessage());
            return;
        }
        run.step("invoking with events/cross-account-reader.json");
        FunctionRuntime.Invocation inv = env.invoke(payload);
        run.logged(inv);
        if (inv.error()) {
            String message = inv.response();
            try {
                message = PolicyJson.MAPPER
                        .readTree(inv.response())
                        .path("errorMessage")
                        .asText(message);
            } catch (IOException e) {
                // Keep the raw response.
            }
            run.fail("the function failed: " + message);
        } else {
            run.step("read from account B: " + S3Pattern.abbreviate(inv.response()));
        }
    }
}
