package io.bpf4j.api;

import java.util.Objects;

/**
 * Something a program attaches to that is not itself a BPF object: a cgroup, a network
 * namespace, a tracepoint, a probe, a perf event, a bpffs mount (for tokens).
 * {@link Bpf#openTarget(AttachTarget)} turns it into a descriptor for {@link LinkSpec#target()}
 * or {@link AttachSpec#target()}; on Linux these are the descriptors of {@code open(2)} and
 * {@code perf_event_open(2)}, in the simulator virtual ones a test can fire events on.
 */
public sealed interface AttachTarget {

    /**
     * A cgroup v2 directory, e.g. {@code /sys/fs/cgroup/unified/agent}.
     *
     * @param path the cgroup's directory
     */
    record Cgroup(String path) implements AttachTarget {
        /**
         * Checks the path.
         *
         * @throws IllegalArgumentException if it is empty
         */
        public Cgroup {
            requirePath(path);
        }
    }

    /**
     * A network namespace file, e.g. {@code /proc/self/ns/net} or {@code /run/netns/test}.
     *
     * @param path the namespace file
     */
    record Netns(String path) implements AttachTarget {
        /**
         * Checks the path.
         *
         * @throws IllegalArgumentException if it is empty
         */
        public Netns {
            requirePath(path);
        }
    }

    /**
     * A tracepoint such as {@code syscalls/sys_enter_getpid}, opened as a perf event.
     *
     * @param category the tracefs event directory, e.g. {@code syscalls}
     * @param name the event, e.g. {@code sys_enter_getpid}
     * @param pid only this process (-1: every process)
     * @param cpu only this CPU (-1: every CPU; with pid -1 the backend opens one per CPU where required)
     */
    record Tracepoint(String category, String name, int pid, int cpu) implements AttachTarget {
        /**
         * Checks the names.
         *
         * @throws IllegalArgumentException naming the bad attribute
         */
        public Tracepoint {
            requireName(category, "category");
            requireName(name, "name");
        }

        /**
         * A tracepoint for every process of this system.
         *
         * @param category the event directory
         * @param name the event
         * @return the target
         */
        public static Tracepoint of(String category, String name) {
            return new Tracepoint(category, name, -1, 0);
        }
    }

    /**
     * A kprobe or kretprobe on a kernel function, opened as a perf event of the kprobe PMU.
     *
     * @param symbol the function
     * @param offset offset into it
     * @param isReturn a kretprobe
     */
    record Kprobe(String symbol, long offset, boolean isReturn) implements AttachTarget {
        /**
         * Checks the symbol.
         *
         * @throws IllegalArgumentException if it is empty
         */
        public Kprobe {
            requireName(symbol, "symbol");
            if (offset < 0) throw new IllegalArgumentException("offset: negative");
        }
    }

    /**
     * A uprobe or uretprobe at a file offset of a binary, opened as a perf event of the uprobe PMU.
     *
     * @param path the binary or library
     * @param offset the file offset of the instruction
     * @param isReturn a uretprobe
     * @param pid only this process (-1: every process)
     */
    record Uprobe(String path, long offset, boolean isReturn, int pid) implements AttachTarget {
        /**
         * Checks the path.
         *
         * @throws IllegalArgumentException naming the bad attribute
         */
        public Uprobe {
            requirePath(path);
            if (offset < 0) throw new IllegalArgumentException("offset: negative");
        }
    }

    /**
     * Any perf event ({@code struct perf_event_attr} type and config), e.g. a software CPU clock
     * for {@link ProgramType#PERF_EVENT} programs.
     *
     * @param type {@code PERF_TYPE_*}
     * @param config the type's config
     * @param samplePeriod sample every this many events (0 with {@code sampleFrequency})
     * @param sampleFrequency samples per second, or 0
     * @param pid the process (-1: every process)
     * @param cpu the CPU (-1: every CPU)
     */
    record PerfEvent(int type, long config, long samplePeriod, long sampleFrequency, int pid, int cpu)
            implements AttachTarget {
    }

    /**
     * A bpffs mount's root, for {@link Bpf#tokenCreate(int, int)}.
     *
     * @param path the mount point
     */
    record Bpffs(String path) implements AttachTarget {
        /**
         * Checks the path.
         *
         * @throws IllegalArgumentException if it is empty
         */
        public Bpffs {
            requirePath(path);
        }
    }

    private static void requirePath(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) throw new IllegalArgumentException("path: empty");
        if (path.indexOf('\0') >= 0) throw new IllegalArgumentException("path: contains NUL");
    }

    private static void requireName(String name, String param) {
        Objects.requireNonNull(name, param);
        if (name.isEmpty()) throw new IllegalArgumentException(param + ": empty");
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) throw new IllegalArgumentException(param + ": \"" + name + "\" has '/' or NUL");
    }
}
