package io.bpf4j.it.attach;

import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Netns;
import io.bpf4j.testsupport.Ping;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Two network namespaces made by the test, joined by a veth pair: {@code a} (10.T.U.1/30) in the
 * first, {@code b} (10.T.U.2/30) in the second, both up, with loopback up. Traffic between them
 * never touches the host's interfaces. Deleting the namespaces (in {@link #close()}, even when the
 * test failed) destroys the veth pair and every attachment on it.
 *
 * <p>Interface indexes belong to their namespace, and the kernel reads them in the caller's
 * namespace: code that attaches to or queries {@code a} or {@code b} by index runs through
 * {@link #inA} or {@link #inB}, which enter the namespace on a fresh thread with {@code setns(2)}
 * (a thread's network namespace is its own, so the rest of the JVM stays where it was). Pings are
 * sent the same way, from Java ({@link Ping#echo}).
 */
final class NetnsPair implements AutoCloseable {
    final String nsA;
    final String nsB;
    final String devA;
    final String devB;
    final String addrA;
    final String addrB;
    private final Netns a;
    private Netns b;

    NetnsPair() {
        String base = io.bpf4j.testsupport.Host.fresh("n");
        devA = base + "va";
        devB = base + "vb";
        int t = 100 + (int) (ProcessHandle.current().pid() % 100);
        int u = (int) (System.nanoTime() & 0x3f);
        addrA = "10." + t + "." + u + ".1";
        addrB = "10." + t + "." + u + ".2";
        a = Netns.create(base + "a");
        nsA = a.name();
        try {
            b = Netns.create(base + "b");
            nsB = b.name();
            Commands.run("ip", "-n", nsA, "link", "add", devA, "type", "veth", "peer", "name", devB, "netns", nsB);
            Commands.run("ip", "-n", nsA, "addr", "add", addrA + "/30", "dev", devA);
            Commands.run("ip", "-n", nsB, "addr", "add", addrB + "/30", "dev", devB);
            Commands.run("ip", "-n", nsA, "link", "set", devA, "up");
            Commands.run("ip", "-n", nsB, "link", "set", devB, "up");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The veth end's index inside its namespace. */
    int ifindexA() {
        return ifindex(nsA, devA);
    }

    int ifindexB() {
        return ifindex(nsB, devB);
    }

    private static int ifindex(String ns, String dev) {
        String out = Commands.run("ip", "-n", ns, "-o", "link", "show", "dev", dev);
        return Integer.parseInt(out.substring(0, out.indexOf(':')).strip());
    }

    /**
     * Pings b from a: {@code count} ICMP echo requests cross the veth to b, one at a time, and
     * each reply comes back; fails when one does not.
     */
    void pingBFromA(int count) {
        inA(() -> {
            Ping.echo(addrB, count);
            return null;
        });
    }

    <T> T inA(Callable<T> body) {
        return in(nsA, body);
    }

    <T> T inB(Callable<T> body) {
        return in(nsB, body);
    }

    /** Runs {@code body} on a new thread that entered the namespace. */
    static <T> T in(String ns, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(() -> {
            int fd = Host.LibC.INSTANCE.open("/run/netns/" + ns, 0x80000 /* O_RDONLY|O_CLOEXEC */);
            if (fd < 0) throw new IllegalStateException("open /run/netns/" + ns + " failed");
            try {
                if (Host.LibC.INSTANCE.setns(fd, Host.CLONE_NEWNET) != 0) {
                    throw new IllegalStateException("setns(" + ns + ") failed: errno " + com.sun.jna.Native.getLastError());
                }
            } finally {
                Host.LibC.INSTANCE.close(fd);
            }
            return body.call();
        });
        Thread t = new Thread(task, "in-netns-" + ns);
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

    @Override
    public void close() {
        try {
            if (b != null) b.close();
        } finally {
            a.close();
        }
    }
}
