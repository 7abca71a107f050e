package io.bpf4j.api;

/**
 * The type-specific part of {@link LinkInfo}, one record per member of the kernel's
 * {@code bpf_link_info} union.
 */
public interface LinkDetails {

    /** A link type whose details are not decoded. */
    enum None implements LinkDetails {
        /** The only value. */
        INSTANCE
    }

    /**
     * Raw tracepoint links.
     *
     * @param tracepoint the tracepoint's name
     * @param cookie the attach cookie (Linux 6.10+ reports it; 0 before)
     */
    record RawTracepoint(String tracepoint, long cookie) implements LinkDetails {
        /**
         * A raw tracepoint link without a cookie.
         *
         * @param tracepoint the tracepoint's name
         */
        public RawTracepoint(String tracepoint) {
            this(tracepoint, 0);
        }
    }

    /**
     * Tracing links.
     *
     * @param attachType the attach type
     * @param targetObjId the target's program or BTF object id
     * @param targetBtfId the target's BTF id
     * @param cookie the attach cookie (Linux 6.10+ reports it; 0 before)
     */
    record Tracing(AttachType attachType, int targetObjId, int targetBtfId, long cookie) implements LinkDetails {
        /**
         * A tracing link without a cookie.
         *
         * @param attachType the attach type
         * @param targetObjId the target's program or BTF object id
         * @param targetBtfId the target's BTF id
         */
        public Tracing(AttachType attachType, int targetObjId, int targetBtfId) {
            this(attachType, targetObjId, targetBtfId, 0);
        }
    }

    /**
     * Cgroup links.
     *
     * @param cgroupId the cgroup's id
     * @param attachType the hook
     */
    record Cgroup(long cgroupId, AttachType attachType) implements LinkDetails {
    }

    /**
     * Network namespace links (flow dissector, sk_lookup).
     *
     * @param netnsInode the namespace's inode number
     * @param attachType the hook
     */
    record Netns(int netnsInode, AttachType attachType) implements LinkDetails {
    }

    /**
     * XDP links.
     *
     * @param ifindex the interface
     */
    record Xdp(int ifindex) implements LinkDetails {
    }

    /**
     * TCX links.
     *
     * @param ifindex the interface
     * @param attachType {@link AttachType#TCX_INGRESS} or {@link AttachType#TCX_EGRESS}
     */
    record Tcx(int ifindex, AttachType attachType) implements LinkDetails {
    }

    /**
     * Netkit links.
     *
     * @param ifindex the interface
     * @param attachType {@link AttachType#NETKIT_PRIMARY} or {@link AttachType#NETKIT_PEER}
     */
    record Netkit(int ifindex, AttachType attachType) implements LinkDetails {
    }

    /**
     * Netfilter links.
     *
     * @param pf protocol family
     * @param hooknum the hook
     * @param priority the priority
     * @param nfFlags the flags
     */
    record Netfilter(int pf, int hooknum, int priority, int nfFlags) implements LinkDetails {
    }

    /**
     * Sockmap links.
     *
     * @param mapId the sockmap's id
     * @param attachType the hook
     */
    record Sockmap(int mapId, AttachType attachType) implements LinkDetails {
    }

    /**
     * Iterator links.
     *
     * @param target the iterator target's name, e.g. {@code bpf_map_elem}
     * @param mapId for map iterators, the map's id, else 0
     */
    record Iter(String target, int mapId) implements LinkDetails {
    }

    /**
     * Struct_ops links.
     *
     * @param mapId the struct_ops map's id
     */
    record StructOps(int mapId) implements LinkDetails {
    }

    /**
     * Perf event links.
     *
     * @param perfEventType {@code BPF_PERF_EVENT_*}: 1 uprobe, 2 uretprobe, 3 kprobe, 4 kretprobe, 5 tracepoint, 6 event
     * @param name the tracepoint, function or file name, or empty
     * @param cookie the attach cookie
     */
    record PerfEvent(int perfEventType, String name, long cookie) implements LinkDetails {
    }

    /**
     * Kprobe multi links.
     *
     * @param count number of probes
     * @param flags the link's flags
     * @param missed probes missed
     */
    record KprobeMulti(int count, int flags, long missed) implements LinkDetails {
    }

    /**
     * Uprobe multi links.
     *
     * @param path the binary's path
     * @param count number of probes
     * @param flags the link's flags
     * @param pid the process, or 0
     */
    record UprobeMulti(String path, int count, int flags, int pid) implements LinkDetails {
    }
}
