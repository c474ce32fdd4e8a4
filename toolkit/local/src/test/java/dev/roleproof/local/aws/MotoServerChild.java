package dev.roleproof.local.aws;

/** Run in a child JVM by {@link MotoServerIT}: starts moto, prints its PID, waits to be terminated. */
public final class MotoServerChild {
    private MotoServerChild() {}

    public static void main(String[] args) throws InterruptedException {
        MotoServer moto = MotoServer.start();
        System.out.println(moto.pid().orElseThrow());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
