package io.bpf4j.it.suite;

import io.bpf4j.api.Bpf;

/**
 * The simulator: always available, with its own virtual bpffs at {@code /sys/fs/bpf} and
 * network interfaces that are plain numbers. Each suite gets a fresh instance.
 */
final class SimBackend implements Backend {
    @Override
    public Bpf open() {
        return Bpf.open("sim");
    }

    @Override
    public Profile profile() {
        return Profile.sim();
    }

    @Override
    public String pinDir() {
        return "/sys/fs/bpf";
    }

    @Override
    public void unpin(String path) {
        // The virtual bpffs lives and dies with the simulator instance the suite closes.
    }

    @Override
    public int loopbackIfindex() {
        return 1;
    }
}
