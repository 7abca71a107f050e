package io.bpf4j.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * ICMP echo sent from Java, so that traffic tests need no {@code ping} installed.
 *
 * <p>As root, {@link InetAddress#isReachable(int)} sends ICMP echo requests from a raw socket of
 * the calling thread's network namespace: one request, then one more per further second until a
 * reply comes. With a one-second limit it sends exactly one, so a count of echo requests and
 * replies that a BPF program keeps is exact. (Without root it would try TCP port 7 instead, which
 * is why {@link #echo} needs root.)
 *
 * <p>A thread that entered a test namespace with {@code setns(2)} calls {@link #echo} directly. A
 * process that must belong to a cgroup runs {@link #command} instead: a small child JVM that
 * sends the echoes from {@code ip netns exec}.
 */
public final class Ping {
    private static final int TIMEOUT_MS = 1000;

    private Ping() {
    }

    /**
     * Sends {@code count} echo requests to {@code address}, one at a time, each answered.
     *
     * @param address an IPv4 address literal
     * @param count how many
     * @throws AssertionError when a request goes unanswered for a second
     */
    public static void echo(String address, int count) {
        Need.root();
        send(address, count);
    }

    /** {@link #echo} without the root check, for the child JVM, which has no JUnit to report a skip with. */
    private static void send(String address, int count) {
        if (count < 1) throw new IllegalArgumentException("count: " + count + " (at least 1)");
        try {
            InetAddress to = InetAddress.getByName(address);
            for (int i = 1; i <= count; i++) {
                if (!to.isReachable(TIMEOUT_MS)) {
                    throw new AssertionError("ICMP echo " + i + " of " + count + " to " + address + " unanswered within "
                            + TIMEOUT_MS + " ms");
                }
            }
        } catch (IOException e) {
            throw new AssertionError("ICMP echo to " + address + ": " + e, e);
        }
    }

    /**
     * A command that sends {@code count} echo requests to {@code address} from a child JVM inside
     * a network namespace; it exits 0 when every one was answered.
     *
     * @param netns the namespace the echoes leave from
     * @param address an IPv4 address literal
     * @param count how many
     * @return the command, for {@link Commands#exec(List)} or {@link Cgroup#runInside(List)}
     */
    public static List<String> command(String netns, String address, int count) {
        Need.root();
        Need.tool("ip");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Startup flags only: the child sends a handful of packets and exits.
        return List.of("ip", "netns", "exec", netns, java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classPath(), Ping.class.getName(), address, Integer.toString(count));
    }

    private static String classPath() {
        try {
            return Path.of(Ping.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The child JVM of {@link #command}.
     *
     * @param args the address and the count
     */
    public static void main(String[] args) {
        try {
            send(args[0], Integer.parseInt(args[1]));
        } catch (AssertionError | RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
