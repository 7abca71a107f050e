package io.bpf4j.linux.internal;

import io.bpf4j.api.AttachFlags;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.Operation;

/**
 * Words for the errors of multi-program hooks ({@code kernel/bpf/mprog.c}, Linux 6.6+: TCX,
 * netkit, and the cgroup hooks with anchors), which the bare errno leaves cryptic. The errno
 * itself is kept; this is only the exception's detail.
 */
final class MprogErrors {
    static final int ENOENT = 2;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ERANGE = 34;
    static final int ESTALE = 116;
    private static final int ANCHORS = AttachFlags.BEFORE | AttachFlags.AFTER | AttachFlags.ID | AttachFlags.LINK
            | AttachFlags.REPLACE;

    private MprogErrors() {
    }

    /** Whether the kernel runs this hook through bpf_mprog (or, for cgroups, whether anchors were used). */
    static boolean isMprog(AttachType t, int flags, long expectedRevision) {
        switch (t) {
            case TCX_INGRESS:
            case TCX_EGRESS:
            case NETKIT_PRIMARY:
            case NETKIT_PEER:
                return true;
            default:
                return (flags & (AttachFlags.BEFORE | AttachFlags.AFTER | AttachFlags.ID | AttachFlags.LINK)) != 0
                        || expectedRevision != 0;
        }
    }

    /**
     * The detail for a failed attach, detach or link create on an mprog hook, or null to keep
     * the plain message.
     *
     * @param op PROG_ATTACH, PROG_DETACH or LINK_CREATE
     * @param t the hook
     * @param flags the attach or link flags
     * @param relative the relative fd or id, or 0
     * @param expectedRevision the expected revision, or 0
     * @param rc -errno
     */
    static String detail(Operation op, AttachType t, int flags, int relative, long expectedRevision, long rc) {
        if (!isMprog(t, flags, expectedRevision)) return null;
        boolean detach = op == Operation.PROG_DETACH;
        switch ((int) -rc) {
            case ESTALE:
                return "revision moved: expected " + expectedRevision + ", the hook has changed since it was queried";
            case EEXIST:
                return "program already attached to this hook";
            case ERANGE:
                return (flags & ANCHORS) != 0
                        ? "conflicting anchors (" + anchors(flags, relative) + " do not name one position) or the list is full"
                        : "the hook's program list is full";
            case ENOENT:
                if (detach) return "program not attached to this hook";
                return relative != 0 || (flags & AttachFlags.ID) != 0
                        ? "relative " + ((flags & AttachFlags.LINK) != 0 ? "link" : "program") + " "
                                + ((flags & AttachFlags.ID) != 0 ? "id " : "fd ") + relative + " not found at this hook"
                        : "program to replace not found at this hook";
            case EBUSY:
                return "the program is owned by a link; detach the link (BPF_LINK_DETACH or close it) instead";
            default:
                return null;
        }
    }

    private static String anchors(int flags, int relative) {
        StringBuilder sb = new StringBuilder();
        if ((flags & AttachFlags.BEFORE) != 0) sb.append("BEFORE ");
        if ((flags & AttachFlags.AFTER) != 0) sb.append("AFTER ");
        if ((flags & AttachFlags.REPLACE) != 0) sb.append("REPLACE ");
        if ((flags & AttachFlags.LINK) != 0) sb.append("LINK ");
        if ((flags & AttachFlags.ID) != 0) sb.append("ID ");
        sb.append(relative);
        return sb.toString();
    }
}
