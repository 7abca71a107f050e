package io.bpf4j.windows.internal;

import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Need;
import java.nio.file.Files;
import java.nio.file.Path;

/** A veth pair of the test's own, so XDP attachments touch no interface anyone else uses. */
final class Dummy {
    private Dummy() {
    }

    static int create(String name) throws Exception {
        Need.root();
        Need.tool("ip");
        Commands.run("ip", "link", "add", name, "type", "veth", "peer", "name", name + "p");
        Commands.run("ip", "link", "set", name, "up");
        return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "ifindex")).trim());
    }

    static void delete(String name) throws Exception {
        Commands.exec("ip", "link", "del", name); // cleanup: a pair that is already gone is fine
    }
}
