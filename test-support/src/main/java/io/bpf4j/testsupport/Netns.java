package io.bpf4j.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network namespace the test made with {@code ip netns add}, named with {@link Host#prefix()}
 * and bind-mounted at {@code /run/netns/NAME}. Closing it deletes it, and with it every device
 * and attachment inside, even when the test failed.
 */
public final class Netns implements AutoCloseable {
    private final String name;
    private boolean closed;

    private Netns(String name) {
        this.name = name;
    }

    /**
     * Makes a fresh namespace with only loopback, which is up.
     *
     * @return it
     */
    public static Netns create() {
        return create(Host.fresh("n"));
    }

    /**
     * Makes a namespace with only loopback, which is up.
     *
     * @param name its name, at most 15 bytes if interfaces are named after it
     * @return it
     */
    public static Netns create(String name) {
        Need.root();
        Need.tool("ip");
        Commands.run("ip", "netns", "add", name);
        Netns ns = new Netns(name);
        try {
            Commands.run("ip", "-n", name, "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * Its name, for {@code ip -n NAME}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The file that holds it, which {@code setns(2)} and BPF netns attach targets open.
     *
     * @return {@code /run/netns/NAME}
     */
    public Path path() {
        return Path.of("/run/netns", name);
    }

    /**
     * Runs a command inside the namespace ({@code ip netns exec}).
     *
     * @param cmd the command and its arguments
     * @return what it did
     */
    public Commands.Result exec(String... cmd) {
        String[] full = new String[cmd.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        return Commands.exec(full);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (Files.exists(path())) Commands.run("ip", "netns", "del", name);
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
