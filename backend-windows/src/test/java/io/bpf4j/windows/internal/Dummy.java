package io.bpf4j.windows.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A veth pair of the test's own, so XDP attachments touch no interface anyone else uses. */
final class Dummy {
    private Dummy() {
    }

    static int create(String name) throws Exception {
        Process p = new ProcessBuilder("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot create a veth pair: " + out);
        new ProcessBuilder("ip", "link", "set", name, "up").start().waitFor();
        return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "ifindex")).trim());
    }

    static void delete(String name) throws Exception {
        new ProcessBuilder("ip", "link", "del", name).start().waitFor();
    }
}
