package io.bpf4j.it.attach;

import io.bpf4j.testsupport.Cgroup;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Ping;
import java.nio.file.Path;

/**
 * A cgroup v2 directory made by the test ({@link Cgroup}), and pings sent by a process placed in
 * it, so that cgroup_skb programs see traffic that belongs to the cgroup and nothing else.
 */
final class TestCgroup implements AutoCloseable {
    final Path dir;
    private final Cgroup cgroup;

    TestCgroup() {
        cgroup = Cgroup.create();
        dir = cgroup.dir();
    }

    String path() {
        return dir.toString();
    }

    /**
     * Pings {@code address} {@code count} times from a process of this cgroup inside network
     * namespace {@code netns}: a child JVM sends the echoes ({@link Ping#command}), because a
     * process, not a thread, belongs to a cgroup.
     */
    Commands.Result pingInside(String netns, String address, int count) {
        return cgroup.runInside(Ping.command(netns, address, count));
    }

    @Override
    public void close() {
        cgroup.close();
    }
}
