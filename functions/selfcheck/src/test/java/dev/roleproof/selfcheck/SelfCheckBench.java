package dev.roleproof.selfcheck;

import dev.roleproof.testing.MotoServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Prints what the self-check costs against moto, in one JVM: the first (cold) run, then warm runs, each against a
 * baseline measured in the same run (the same three calls made one after another on the calling thread). Not a test:
 * run it with the command in README.md.
 */
public final class SelfCheckBench {

    private SelfCheckBench() {}

    public static void main(String[] args) throws Exception {
        MotoServer moto = MotoServer.shared();
        Aws admin = new Aws(moto.endpoint(), Aws.ADMIN, null);
        String queueUrl;
        try (SqsClient sqs = admin.sqs()) {
            queueUrl = sqs.createQueue(r -> r.queueName("bench-q")).queueUrl();
        }
        String roleArn = "arn:aws:iam::123456789012:role/BenchRole";
        Aws fn;
        try (StsClient sts = admin.sts()) {
            // ListQueues refused with AWS's shape (stand-in for issue 6's proxy), so the verdict is PASS as deployed.
            AwsErrors errors = new AwsErrors().fail("ListQueues", AwsErrors.sqsAccessDenied("sqs:listqueues", "*"));
            fn = new Aws(
                    moto.endpoint(),
                    Aws.of(sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("b"))
                            .credentials()),
                    errors);
        }
        StsClient sts = fn.sts();
        SqsClient sqs = fn.sqs();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        long t0 = System.nanoTime();
        SelfCheck check = SelfCheck.builder("Bench", "sqs-esm")
                .identity(fn.identity())
                .expectedRoleArn(roleArn)
                .environment(Map.<String, String>of()::get)
                .log(quiet)
                .probe(Probe.require(
                        "sqs:GetQueueAttributes",
                        "q",
                        () -> sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                                .attributeNames(QueueAttributeName.QUEUE_ARN)
                                .overrideConfiguration(Probe.BOUNDED))))
                .probe(Probe.forbid(
                        "sqs:ListQueues",
                        "*",
                        () -> sqs.listQueues(r -> r.maxResults(1).overrideConfiguration(Probe.BOUNDED))))
                .build();
        long built = System.nanoTime();
        SelfCheckReport first = check.run("bench");
        long firstDone = System.nanoTime();
        System.out.printf(
                "cold: build %.1f ms, first self-check %.1f ms (report says %d ms), verdict %s%n",
                ms(built - t0), ms(firstDone - built), first.durationMs(), first.verdict());

        int n = 30;
        double[] selfCheck = new double[n];
        double[] sequential = new double[n];
        for (int i = 0; i < n; i++) {
            long a = System.nanoTime();
            check.run("bench");
            long b = System.nanoTime();
            sts.getCallerIdentity();
            sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
            try {
                sqs.listQueues(r -> r.maxResults(1));
            } catch (software.amazon.awssdk.services.sqs.model.SqsException expected) {
                // refused, as in the self-check
            }
            long c = System.nanoTime();
            selfCheck[i] = ms(b - a);
            sequential[i] = ms(c - b);
        }
        double sc = median(selfCheck);
        double seq = median(sequential);
        System.out.printf(
                "warm (median of %d): self-check %.1f ms, same 3 calls in sequence %.1f ms, ratio %.2f%n",
                n, sc, seq, sc / seq);
        moto.close();
        System.exit(0);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
