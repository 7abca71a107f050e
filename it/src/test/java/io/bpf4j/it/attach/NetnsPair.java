package io.bpf4j.it.attach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Two network namespaces made by the test, joined by a veth pair: {@code a} (10.T.0.1/30) in the
 * first, {@code b} (10.T.0.2/30) in the second, both up, with loopback up. Traffic between them
 * never touches the host's interfaces. Deleting the namespaces (in {@link #close()}, even when the
 * test failed) destroys the veth pair and every attachment on it.
 *
 * <p>Interface indexes belong to their namespace, and the kernel reads them in the caller's
 * namespace: code that attaches to or queries {@code a} or {@code b} by index runs through
 * {@link #inA} or {@link #inB}, which enter the namespace on a fresh thread with {@code setns(2)}
 * (a thread's network namespace is its own, so the rest of the JVM stays where it was).
 */
final class NetnsPair implements AutoCloseable {
    final String nsA;
    final String nsB;
    final String devA;
    final String devB;
    final String addrA;
    final String addrB;
    private boolean closed;

    NetnsPair() {
        String base = Host.name("n");
        nsA = base + "a";
        nsB = base + "b";
        devA = base + "va";
        devB = base + "vb";
        int t = 100 + (int) (ProcessHandle.current().pid() % 100);
        int u = (int) (System.nanoTime() & 0x3f) * 4;
        addrA = "10." + t + "." + u / 4 + ".1";
        addrB = "10." + t + "." + u / 4 + ".2";
        try {
            Host.run("ip", "netns", "add", nsA);
            Host.run("ip", "netns", "add", nsB);
            Host.run("ip", "-n", nsA, "link", "add", devA, "type", "veth", "peer", "name", devB, "netns", nsB);
            Host.run("ip", "-n", nsA, "addr", "add", addrA + "/30", "dev", devA);
            Host.run("ip", "-n", nsB, "addr", "add", addrB + "/30", "dev", devB);
            for (String[] nd : new String[][] {{nsA, devA}, {nsB, devB}}) {
                Host.run("ip", "-n", nd[0], "link", "set", "lo", "up");
                Host.run("ip", "-n", nd[0], "link", "set", nd[1], "up");
            }
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
        String out = Host.run("ip", "-n", ns, "-o", "link", "show", "dev", dev);
        return Integer.parseInt(out.substring(0, out.indexOf(':')).strip());
    }

    /** Pings b from a: {@code count} ICMP echo requests cross the veth to b, and the replies back. */
    Host.Result pingBFromA(int count) {
        return Host.exec("ip", "netns", "exec", nsA, "ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2",
                "-W", "2", addrB);
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
        if (closed) return;
        closed = true;
        for (String ns : new String[] {nsA, nsB}) {
            if (Files.exists(Path.of("/run/netns", ns))) Host.exec("ip", "netns", "del", ns);
        }
    }
}
