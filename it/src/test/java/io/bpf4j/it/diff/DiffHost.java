package io.bpf4j.it.diff;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.bpf4j.testsupport.Host;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The host side of a differential run that test-support cannot provide without native calls:
 * the thread the kernel side runs on, pinned to CPU 0 and optionally inside a network namespace.
 */
public final class DiffHost {
    private DiffHost() {
    }

    /** The libc calls the harness makes itself. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);

        int sched_setaffinity(int pid, long size, long[] mask);

        int sched_getcpu();
    }

    private static final int CLONE_NEWNET = 0x40000000;

    /** Possible CPUs of this machine; the simulator is built with the same number. */
    public static final int CPUS = Host.possibleCpus();

    /** A fresh name for a host object of a scenario (see {@link Host#fresh}). */
    static String fresh(String kind) {
        return Host.fresh(kind);
    }

    /**
     * Runs {@code body} on a fresh thread pinned to CPU 0 (the simulator runs syscalls on CPU 0,
     * which decides LRU eviction), inside network namespace {@code netns} when it is not null.
     */
    static <T> T onCpu0(String netns, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(() -> {
            if (LibC.INSTANCE.sched_setaffinity(0, 8, new long[] {1L}) != 0) {
                throw new IllegalStateException("sched_setaffinity(cpu 0): errno " + Native.getLastError());
            }
            if (netns != null) {
                int fd = LibC.INSTANCE.open("/run/netns/" + netns, 0x80000 /* O_RDONLY|O_CLOEXEC */);
                if (fd < 0) throw new IllegalStateException("open /run/netns/" + netns + ": errno " + Native.getLastError());
                try {
                    if (LibC.INSTANCE.setns(fd, CLONE_NEWNET) != 0) {
                        throw new IllegalStateException("setns(" + netns + "): errno " + Native.getLastError());
                    }
                } finally {
                    LibC.INSTANCE.close(fd);
                }
            }
            if (LibC.INSTANCE.sched_getcpu() != 0) throw new IllegalStateException("pinned thread is not on CPU 0");
            return body.call();
        });
        Thread t = new Thread(task, "diff-linux-cpu0");
        t.start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
