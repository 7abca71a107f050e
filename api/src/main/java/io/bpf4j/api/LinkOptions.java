package io.bpf4j.api;

import java.util.Objects;

/**
 * The hook-specific part of {@link LinkSpec}: one record per member of the kernel's
 * {@code link_create} union (Linux 6.18; libbpf's {@code struct bpf_link_create_opts}).
 */
public interface LinkOptions {

    /** No hook-specific options (XDP, sockmap, cgroup without anchors, raw tracepoint). */
    enum None implements LinkOptions {
        /** The only value. */
        INSTANCE
    }

    /**
     * Multi-program hooks (TCX, netkit, cgroup): where in the list, and the expected revision.
     * Set {@link AttachFlags#BEFORE} / {@link AttachFlags#AFTER} / {@link AttachFlags#ID} /
     * {@link AttachFlags#LINK} in {@link LinkSpec#flags()} to say what {@code relative} is.
     *
     * @param relative the relative program or link, by descriptor or id; 0 for first / last
     * @param expectedRevision fail with ESTALE unless the hook is at this revision; 0 to skip
     */
    record Mprog(int relative, long expectedRevision) implements LinkOptions {
    }

    /**
     * Perf event links (tracepoint, kprobe, uprobe through {@code perf_event_open}).
     *
     * @param cookie the value {@code bpf_get_attach_cookie()} returns
     */
    record PerfEvent(long cookie) implements LinkOptions {
    }

    /**
     * Tracing, LSM and extension links.
     *
     * @param targetBtfId the target's BTF id (for extensions), or 0
     * @param cookie the attach cookie
     */
    record Tracing(int targetBtfId, long cookie) implements LinkOptions {
    }

    /**
     * Kprobe multi links: by symbol names or addresses (one of the two), each with a cookie.
     *
     * @param symbols kernel function names, or null
     * @param addresses kernel addresses, or null
     * @param cookies one cookie per probe, or null
     */
    record KprobeMulti(String[] symbols, long[] addresses, long[] cookies) implements LinkOptions {
        /**
         * Checks that exactly one of symbols and addresses is given and counts agree.
         *
         * @throws IllegalArgumentException naming the bad attribute
         */
        public KprobeMulti {
            if ((symbols == null) == (addresses == null)) {
                throw new IllegalArgumentException("symbols/addresses: give exactly one");
            }
            int n = symbols != null ? symbols.length : addresses.length;
            if (n == 0) throw new IllegalArgumentException("symbols/addresses: empty");
            if (cookies != null && cookies.length != n) throw new IllegalArgumentException("cookies: " + cookies.length + " for " + n + " probes");
        }
    }

    /**
     * Uprobe multi links.
     *
     * @param path the binary or library
     * @param offsets file offsets of the probes
     * @param refCtrOffsets semaphore offsets, one per probe, or null
     * @param cookies one cookie per probe, or null
     * @param pid only this process, or 0 for all
     */
    record UprobeMulti(String path, long[] offsets, long[] refCtrOffsets, long[] cookies, int pid)
            implements LinkOptions {
        /**
         * Checks that the arrays agree.
         *
         * @throws IllegalArgumentException naming the bad attribute
         */
        public UprobeMulti {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(offsets, "offsets");
            if (offsets.length == 0) throw new IllegalArgumentException("offsets: empty");
            if (refCtrOffsets != null && refCtrOffsets.length != offsets.length) throw new IllegalArgumentException("refCtrOffsets: length differs from offsets");
            if (cookies != null && cookies.length != offsets.length) throw new IllegalArgumentException("cookies: length differs from offsets");
        }
    }

    /**
     * Netfilter links.
     *
     * @param pf protocol family ({@code NFPROTO_IPV4} 2, {@code NFPROTO_IPV6} 10)
     * @param hooknum the hook ({@code NF_INET_PRE_ROUTING} 0 ... {@code NF_INET_POST_ROUTING} 4)
     * @param priority the priority among the hook's functions
     * @param nfFlags {@code BPF_F_NETFILTER_IP_DEFRAG} (1) or 0
     */
    record Netfilter(int pf, int hooknum, int priority, int nfFlags) implements LinkOptions {
    }

    /**
     * Iterator links ({@code union bpf_iter_link_info}): at most one target kind is set.
     *
     * @param mapFd for map element iterators, else 0
     * @param cgroupOrder for cgroup iterators ({@code BPF_CGROUP_ITER_*}), else 0
     * @param cgroupFd the cgroup by descriptor, else 0
     * @param cgroupId the cgroup by id, else 0
     * @param tid for task iterators: one thread, else 0
     * @param pid one process, else 0
     * @param pidFd one process by pidfd, else 0
     */
    record Iter(int mapFd, int cgroupOrder, int cgroupFd, long cgroupId, int tid, int pid, int pidFd)
            implements LinkOptions {
        /** An iterator with no target (e.g. over all tasks or all maps). */
        public static final Iter NONE = new Iter(0, 0, 0, 0, 0, 0, 0);

        /**
         * An iterator over one map's elements.
         *
         * @param mapFd the map
         * @return the options
         */
        public static Iter ofMap(int mapFd) {
            return new Iter(mapFd, 0, 0, 0, 0, 0, 0);
        }
    }
}
