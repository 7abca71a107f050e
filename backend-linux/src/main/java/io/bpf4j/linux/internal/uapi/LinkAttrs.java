package io.bpf4j.linux.internal.uapi;

import io.bpf4j.api.LinkOptions;
import java.nio.ByteBuffer;

/**
 * Encoders of the attach and link commands' part of {@code union bpf_attr} (Linux 6.18 uapi):
 * {@code BPF_PROG_ATTACH}/{@code DETACH}, {@code BPF_PROG_QUERY}, {@code BPF_LINK_CREATE} with
 * every member of its union, {@code BPF_LINK_UPDATE}, {@code BPF_LINK_DETACH},
 * {@code BPF_RAW_TRACEPOINT_OPEN} and {@code BPF_ITER_CREATE}.
 */
public final class LinkAttrs {
    /** Offset of {@code query.attach_flags} (out). */
    public static final int QUERY_ATTACH_FLAGS = 12;
    /** Offset of {@code query.prog_cnt} / {@code count} (in: room; out: how many there are). */
    public static final int QUERY_COUNT = 24;
    /** Offset of {@code query.revision} (out). */
    public static final int QUERY_REVISION = 56;
    /** {@code sizeof(union bpf_iter_link_info)} on Linux 6.18. */
    public static final int ITER_LINK_INFO_SIZE = 16;
    /** {@code BPF_F_KPROBE_MULTI_RETURN} / {@code BPF_F_UPROBE_MULTI_RETURN}. */
    public static final int MULTI_RETURN = 1;

    // link_create (Linux 6.18 uapi): header then a union at 16
    private static final int LC_PROG_FD = 0;
    private static final int LC_TARGET = 4;
    private static final int LC_ATTACH_TYPE = 8;
    private static final int LC_FLAGS = 12;
    private static final int LC_UNION = 16;

    private LinkAttrs() {
    }

    /**
     * {@code BPF_PROG_ATTACH} and {@code BPF_PROG_DETACH}: target_fd|target_ifindex 0,
     * attach_bpf_fd 4, attach_type 8, attach_flags 12, replace_bpf_fd 16,
     * relative_fd|relative_id 20, expected_revision 24.
     *
     * @param attr the zeroed attribute buffer
     * @param target descriptor or ifindex
     * @param progFd the program
     * @param attachType the uapi attach type
     * @param flags attach flags
     * @param replaceFd the program to replace, or 0
     * @param relative relative fd or id, or 0
     * @param expectedRevision the expected revision, or 0
     */
    public static void attach(ByteBuffer attr, int target, int progFd, int attachType, int flags, int replaceFd,
            int relative, long expectedRevision) {
        attr.putInt(0, target);
        attr.putInt(4, progFd);
        attr.putInt(8, attachType);
        attr.putInt(12, flags);
        attr.putInt(16, replaceFd);
        attr.putInt(20, relative);
        attr.putLong(24, expectedRevision);
    }

    /**
     * {@code BPF_PROG_QUERY} (struct query).
     *
     * @param attr the zeroed attribute buffer
     * @param target descriptor or ifindex
     * @param attachType the uapi attach type
     * @param queryFlags {@code BPF_F_QUERY_EFFECTIVE} or 0
     * @param progIds address of room for {@code count} u32 ids, or 0 to ask for the count
     * @param count room in every array
     * @param progAttachFlags address of room for per-program flags, or 0
     * @param linkIds address of room for link ids, or 0
     * @param linkAttachFlags address of room for per-link flags, or 0
     */
    public static void query(ByteBuffer attr, int target, int attachType, int queryFlags, long progIds, int count,
            long progAttachFlags, long linkIds, long linkAttachFlags) {
        attr.putInt(0, target);
        attr.putInt(4, attachType);
        attr.putInt(8, queryFlags);
        attr.putLong(16, progIds);
        attr.putInt(QUERY_COUNT, count);
        attr.putLong(32, progAttachFlags);
        attr.putLong(40, linkIds);
        attr.putLong(48, linkAttachFlags);
    }

    /**
     * The common head of {@code BPF_LINK_CREATE}: prog_fd|map_fd 0, target_fd|target_ifindex 4,
     * attach_type 8, flags 12. Follow with one of the {@code linkCreate*} union encoders.
     *
     * @param attr the zeroed attribute buffer
     * @param progFd the program (or struct_ops map)
     * @param target descriptor or ifindex
     * @param attachType the uapi attach type
     * @param flags link flags
     */
    public static void linkCreate(ByteBuffer attr, int progFd, int target, int attachType, int flags) {
        attr.putInt(LC_PROG_FD, progFd);
        attr.putInt(LC_TARGET, target);
        attr.putInt(LC_ATTACH_TYPE, attachType);
        attr.putInt(LC_FLAGS, flags);
    }

    /**
     * link_create.tcx / netkit / cgroup: relative_fd|relative_id 16, expected_revision 24 (the
     * three members share one layout).
     *
     * @param attr the attribute buffer
     * @param o the options
     */
    public static void linkCreateMprog(ByteBuffer attr, LinkOptions.Mprog o) {
        attr.putInt(LC_UNION, o.relative());
        attr.putLong(LC_UNION + 8, o.expectedRevision());
    }

    /**
     * link_create.perf_event.bpf_cookie at 16.
     *
     * @param attr the attribute buffer
     * @param o the options
     */
    public static void linkCreatePerfEvent(ByteBuffer attr, LinkOptions.PerfEvent o) {
        attr.putLong(LC_UNION, o.cookie());
    }

    /**
     * link_create.tracing: target_btf_id 16, cookie 24.
     *
     * @param attr the attribute buffer
     * @param o the options
     */
    public static void linkCreateTracing(ByteBuffer attr, LinkOptions.Tracing o) {
        attr.putInt(LC_UNION, o.targetBtfId());
        attr.putLong(LC_UNION + 8, o.cookie());
    }

    /**
     * link_create.netfilter: pf 16, hooknum 20, priority 24, flags 28.
     *
     * @param attr the attribute buffer
     * @param o the options
     */
    public static void linkCreateNetfilter(ByteBuffer attr, LinkOptions.Netfilter o) {
        attr.putInt(LC_UNION, o.pf());
        attr.putInt(LC_UNION + 4, o.hooknum());
        attr.putInt(LC_UNION + 8, o.priority());
        attr.putInt(LC_UNION + 12, o.nfFlags());
    }

    /**
     * link_create iter_info 16, iter_info_len 24.
     *
     * @param attr the attribute buffer
     * @param iterInfo address of a {@code union bpf_iter_link_info}, or 0
     * @param len its size, or 0
     */
    public static void linkCreateIter(ByteBuffer attr, long iterInfo, int len) {
        attr.putLong(LC_UNION, iterInfo);
        attr.putInt(LC_UNION + 8, len);
    }

    /**
     * link_create.kprobe_multi: flags 16, cnt 20, syms 24, addrs 32, cookies 40.
     *
     * @param attr the attribute buffer
     * @param flags {@link #MULTI_RETURN} or 0
     * @param cnt number of probes
     * @param syms address of {@code cnt} pointers to NUL-terminated names, or 0
     * @param addrs address of {@code cnt} u64 addresses, or 0
     * @param cookies address of {@code cnt} u64 cookies, or 0
     */
    public static void linkCreateKprobeMulti(ByteBuffer attr, int flags, int cnt, long syms, long addrs,
            long cookies) {
        attr.putInt(LC_UNION, flags);
        attr.putInt(LC_UNION + 4, cnt);
        attr.putLong(LC_UNION + 8, syms);
        attr.putLong(LC_UNION + 16, addrs);
        attr.putLong(LC_UNION + 24, cookies);
    }

    /**
     * link_create.uprobe_multi: path 16, offsets 24, ref_ctr_offsets 32, cookies 40, cnt 48,
     * flags 52, pid 56.
     *
     * @param attr the attribute buffer
     * @param path address of the NUL-terminated path
     * @param offsets address of {@code cnt} u64 offsets
     * @param refCtrOffsets address of {@code cnt} u64, or 0
     * @param cookies address of {@code cnt} u64, or 0
     * @param cnt number of probes
     * @param flags {@link #MULTI_RETURN} or 0
     * @param pid the process, or 0
     */
    public static void linkCreateUprobeMulti(ByteBuffer attr, long path, long offsets, long refCtrOffsets,
            long cookies, int cnt, int flags, int pid) {
        attr.putLong(LC_UNION, path);
        attr.putLong(LC_UNION + 8, offsets);
        attr.putLong(LC_UNION + 16, refCtrOffsets);
        attr.putLong(LC_UNION + 24, cookies);
        attr.putInt(LC_UNION + 32, cnt);
        attr.putInt(LC_UNION + 36, flags);
        attr.putInt(LC_UNION + 40, pid);
    }

    /**
     * Writes a {@code union bpf_iter_link_info} (Linux 6.18 uapi): map.map_fd 0;
     * cgroup.order 0, cgroup_fd 4, cgroup_id 8; task.tid 0, pid 4, pid_fd 8.
     *
     * @param b a zeroed buffer of at least {@link #ITER_LINK_INFO_SIZE} bytes
     * @param o the options; at most one kind is used
     * @return true when anything was set (else the kernel wants no iter_info at all)
     */
    public static boolean iterLinkInfo(ByteBuffer b, LinkOptions.Iter o) {
        if (o.mapFd() != 0) {
            b.putInt(0, o.mapFd());
            return true;
        }
        if (o.cgroupOrder() != 0 || o.cgroupFd() != 0 || o.cgroupId() != 0) {
            b.putInt(0, o.cgroupOrder());
            b.putInt(4, o.cgroupFd());
            b.putLong(8, o.cgroupId());
            return true;
        }
        if (o.tid() != 0 || o.pid() != 0 || o.pidFd() != 0) {
            b.putInt(0, o.tid());
            b.putInt(4, o.pid());
            b.putInt(8, o.pidFd());
            return true;
        }
        return false;
    }

    /**
     * {@code BPF_LINK_UPDATE}: link_fd 0, new_prog_fd 4, flags 8, old_prog_fd 12.
     *
     * @param attr the zeroed attribute buffer
     * @param linkFd the link
     * @param newProgFd the new program
     * @param flags {@code BPF_F_REPLACE} or 0
     * @param oldProgFd the expected current program, or 0
     */
    public static void linkUpdate(ByteBuffer attr, int linkFd, int newProgFd, int flags, int oldProgFd) {
        attr.putInt(0, linkFd);
        attr.putInt(4, newProgFd);
        attr.putInt(8, flags);
        attr.putInt(12, oldProgFd);
    }

    /**
     * {@code BPF_LINK_DETACH} (link_fd 0) and other one-fd commands.
     *
     * @param attr the zeroed attribute buffer
     * @param fd the descriptor
     */
    public static void fdOnly(ByteBuffer attr, int fd) {
        attr.putInt(0, fd);
    }

    /**
     * {@code BPF_RAW_TRACEPOINT_OPEN}: name 0, prog_fd 8, cookie 16.
     *
     * @param attr the zeroed attribute buffer
     * @param name address of the NUL-terminated name, or 0
     * @param progFd the program
     * @param cookie the cookie (Linux 6.10+)
     */
    public static void rawTracepointOpen(ByteBuffer attr, long name, int progFd, long cookie) {
        attr.putLong(0, name);
        attr.putInt(8, progFd);
        attr.putLong(16, cookie);
    }

    /**
     * {@code BPF_ITER_CREATE}: link_fd 0, flags 4.
     *
     * @param attr the zeroed attribute buffer
     * @param linkFd the iterator link
     * @param flags must be 0
     */
    public static void iterCreate(ByteBuffer attr, int linkFd, int flags) {
        attr.putInt(0, linkFd);
        attr.putInt(4, flags);
    }
}
