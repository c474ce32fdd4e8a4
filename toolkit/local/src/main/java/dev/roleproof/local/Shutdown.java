package dev.roleproof.local;

/**
 * Whether this JVM is shutting down (Ctrl-C, SIGTERM). Then moto and the functions' JVMs are being stopped by their
 * shutdown hooks, so whatever fails next is the interruption, not the run: callers print nothing more for it.
 */
public final class Shutdown {

    private Shutdown() {}

    public static boolean inProgress() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }

    /**
     * Runs {@code message} once if the JVM shuts down before {@link Registration#close()}: the one line a user sees
     * after Ctrl-C.
     */
    public static Registration onInterrupt(Runnable message) {
        Thread hook = new Thread(message, "roleproof-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The message is being printed.
            }
        };
    }

    /** Parks the calling thread until the JVM halts: after an interruption, it has nothing left to say. */
    public static void awaitHalt() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // Keep waiting: the shutdown hooks end the JVM.
            }
        }
    }

    /** A shutdown message that is no longer wanted once the run ended normally. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
