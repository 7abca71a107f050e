package io.bpf4j.sim.internal.kernel;

/**
 * The simulator's fixed settings.
 *
 * @param possibleCpus the number of possible CPUs, which sizes per-CPU values
 * @param bpffsMount where the virtual bpffs is mounted
 * @param uid the uid recorded as a program's creator
 * @param seed seeds the random hash seeds of maps created without {@code BPF_F_ZERO_SEED}
 * @param memory the machine's memory in bytes, which no map allocation may exceed
 */
public record SimConfig(int possibleCpus, String bpffsMount, int uid, long seed, long memory) {
    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException naming a bad setting
     */
    public SimConfig {
        if (possibleCpus < 1 || possibleCpus > 8192) throw new IllegalArgumentException("possibleCpus: " + possibleCpus + " not in 1..8192");
        if (Bpffs.normalize(bpffsMount) == null || Bpffs.normalize(bpffsMount).equals("/")) {
            throw new IllegalArgumentException("bpffsMount: must be an absolute path below /: " + bpffsMount);
        }
        if (uid < 0) throw new IllegalArgumentException("uid: negative");
        if (memory < (1L << 20)) throw new IllegalArgumentException("memory: " + memory + " is below 1 MiB");
    }
}
