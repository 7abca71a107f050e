package io.bpf4j.sim;

import io.bpf4j.sim.internal.kernel.SimConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates configured simulators. {@code Bpf.open("sim")} gives one with the defaults; build one
 * directly to choose the CPU count, the bpffs mount point, the uid or the hash seed, and to reach
 * the simulator's own API ({@link SimBpf#faults()}).
 *
 * {@snippet :
 * try (SimBpf sim = Simulator.builder().possibleCpus(4).bpffsMount("/sys/fs/bpf").build()) {
 *     int map = sim.mapCreate(MapSpec.of(MapType.PERCPU_ARRAY, 4, 8, 1));
 *     // per-CPU values are round_up(8, 8) * 4 = 32 bytes here
 * }
 * }
 */
public final class Simulator {
    private Simulator() {
    }

    /**
     * A builder with the defaults: this machine's possible CPUs, bpffs at {@code /sys/fs/bpf},
     * uid 0, a random hash seed.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The number of possible CPUs of this machine, as the kernel counts them
     * ({@code /sys/devices/system/cpu/possible}), or the available processors elsewhere.
     *
     * @return at least 1
     */
    static int hostPossibleCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim();
            int n = 0;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                n += r.length == 1 ? 1 : Integer.parseInt(r[1].trim()) - Integer.parseInt(r[0].trim()) + 1;
            }
            return Math.max(1, n);
        } catch (IOException | RuntimeException e) {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * The host's memory ({@code MemTotal} of {@code /proc/meminfo}), or 16 GiB where it cannot
     * be read: by default the simulated machine has as much as the kernel it is compared with.
     */
    static long hostMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] f = line.split("\\s+");
                    return Long.parseLong(f[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the fallback below
        }
        return 16L << 30;
    }

    /** Settings of a new simulator. */
    public static final class Builder {
        private int cpus = hostPossibleCpus();
        private String mount = "/sys/fs/bpf";
        private int uid;
        private long seed = System.nanoTime();
        private long memory = hostMemory();

        private Builder() {
        }

        /**
         * The number of possible CPUs, which sizes per-CPU values
         * ({@code round_up(valueSize, 8) * cpus} bytes in user space).
         *
         * @param n 1 to 8192
         * @return this builder
         */
        public Builder possibleCpus(int n) {
            if (n < 1 || n > 8192) throw new IllegalArgumentException("possibleCpus: " + n + " not in 1..8192");
            this.cpus = n;
            return this;
        }

        /**
         * Where the virtual bpffs is mounted; pins must be below it.
         *
         * @param path an absolute path other than {@code /}
         * @return this builder
         */
        public Builder bpffsMount(String path) {
            if (path == null || !path.startsWith("/") || path.replace("/", "").isEmpty()) {
                throw new IllegalArgumentException("bpffsMount: must be an absolute path below /: " + path);
            }
            this.mount = path;
            return this;
        }

        /**
         * The uid programs are recorded as created by.
         *
         * @param uid the uid
         * @return this builder
         */
        public Builder uid(int uid) {
            if (uid < 0) throw new IllegalArgumentException("uid: negative");
            this.uid = uid;
            return this;
        }

        /**
         * Seeds the hash seeds of maps created without {@code BPF_F_ZERO_SEED}, making their
         * iteration order reproducible between runs.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The simulated machine's memory. A map whose allocation would exceed it fails to be
         * created with ENOMEM, as on Linux, where {@code vmalloc} refuses more than the machine's
         * pages before trying; the simulator allocates storage only as it is touched, so
         * anything below the limit costs nothing until used.
         *
         * @param bytes the memory, at least 1 MiB (default: the host's {@code MemTotal})
         * @return this builder
         */
        public Builder memory(long bytes) {
            if (bytes < (1L << 20)) throw new IllegalArgumentException("memory: " + bytes + " is below 1 MiB");
            this.memory = bytes;
            return this;
        }

        /**
         * Creates the simulator.
         *
         * @return a new, empty simulated kernel
         */
        public SimBpf build() {
            return new SimBpf(new SimConfig(cpus, mount, uid, seed, memory));
        }
    }
}
