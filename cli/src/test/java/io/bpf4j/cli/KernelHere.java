package io.bpf4j.cli;

import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.Mounts;
import io.bpf4j.testsupport.Need;

/**
 * Whether the linux backend must work here, decided from the machine and never from the
 * providers under test: Linux, root, and bpffs mounted at {@code /sys/fs/bpf}.
 */
final class KernelHere {
    private KernelHere() {
    }

    /** Null when the kernel backend must be available here, else why it need not be. */
    static String whyNot() {
        if (!Host.linux()) return "not Linux";
        if (!Host.root()) return "not root: this process' effective uid is not 0";
        if (!Mounts.mountedAs(Mounts.BPFFS, "bpf")) return "bpffs is not mounted at " + Mounts.BPFFS;
        return null;
    }

    /** Goes on only where the named backend must work (skips locally, fails in CI); the simulator works anywhere. */
    static void assumeBackend(String name) {
        if (name.equals("sim")) return;
        if (!name.equals("linux")) throw new IllegalArgumentException("backend: no rule for \"" + name + "\"");
        Need.linux();
        Need.root();
        Need.bpffs();
    }
}
