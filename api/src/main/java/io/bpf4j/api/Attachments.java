package io.bpf4j.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What is attached at one hook, in the order the kernel runs it: each program with the link
 * that holds it (if any) and its flags, and the hook's revision. It is what
 * {@code BPF_PROG_QUERY} answers, turned into a list, and it works the same on every backend.
 *
 * <p>The revision is what an {@link Anchor} expects: attach with
 * {@code anchor.expectRevision(a.revision())} and the kernel refuses (ESTALE) if anything
 * changed at the hook since this query.
 *
 * {@snippet :
 * Attachments a = Attachments.query(bpf, ifindex, AttachType.TCX_INGRESS);
 * for (Attachments.Attached p : a.programs()) {
 *     System.out.println(p.programId() + " via link " + p.linkId());
 * }
 * try (BpfLink l = prog.attachTcx(ifindex, AttachType.TCX_INGRESS, Anchor.first().expectRevision(a.revision()))) {
 *     // runs before everything listed above, or failed with ESTALE because the list moved
 * }
 * }
 *
 * @param attachType the hook that was queried
 * @param attachFlags the hook's attach flags (cgroups: {@link AttachFlags#ALLOW_MULTI} or
 *     {@link AttachFlags#ALLOW_OVERRIDE} of legacy attachments), else 0
 * @param programs the attached programs, in run order
 * @param revision the hook's revision (multi-program hooks: TCX, netkit, cgroups on Linux
 *     6.6+), else 0
 */
public record Attachments(AttachType attachType, int attachFlags, List<Attached> programs, long revision) {

    /**
     * One attached program.
     *
     * @param programId the program's id
     * @param linkId the id of the link that holds it, or 0 when it was attached with
     *     {@code BPF_PROG_ATTACH} (or the hook does not report links)
     * @param programFlags its attach flags where the hook keeps them per program (cgroups), else 0
     * @param linkFlags its link's flags where the hook reports them, else 0
     */
    public record Attached(int programId, int linkId, int programFlags, int linkFlags) {
    }

    /**
     * Copies the list.
     *
     * @throws NullPointerException if {@code attachType} or {@code programs} is null
     */
    public Attachments {
        Objects.requireNonNull(attachType, "attachType");
        programs = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(programs, "programs")));
    }

    /**
     * What is attached at a cgroup, network namespace or other opened target's hook.
     *
     * @param bpf the backend
     * @param target the cgroup, network namespace ... (opened and closed here)
     * @param attachType the hook
     * @return the attachments in run order
     */
    public static Attachments query(Bpf bpf, AttachTarget target, AttachType attachType) {
        Objects.requireNonNull(bpf, "bpf");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(attachType, "attachType");
        int fd = bpf.openTarget(target);
        try {
            return query(bpf, new QuerySpec(fd, attachType, 0));
        } finally {
            bpf.closeFd(fd);
        }
    }

    /**
     * What is attached at a network interface's hook (XDP, TCX, netkit). On Linux the index is
     * read in the calling thread's network namespace.
     *
     * @param bpf the backend
     * @param ifindex the interface
     * @param attachType the hook, e.g. {@link AttachType#TCX_INGRESS}
     * @return the attachments in run order
     */
    public static Attachments query(Bpf bpf, int ifindex, AttachType attachType) {
        Objects.requireNonNull(bpf, "bpf");
        if (ifindex <= 0) throw new IllegalArgumentException("ifindex: " + ifindex + " is not an interface index");
        return query(bpf, new QuerySpec(ifindex, Objects.requireNonNull(attachType, "attachType"), 0));
    }

    /**
     * What is attached to a sockmap or sockhash (parser and verdict programs).
     *
     * @param map the map
     * @param attachType the hook, e.g. {@link AttachType#SK_SKB_STREAM_VERDICT}
     * @return the attachments
     */
    public static Attachments query(BpfMap map, AttachType attachType) {
        Objects.requireNonNull(map, "map");
        return query(map.bpf(), new QuerySpec(map.fd(), Objects.requireNonNull(attachType, "attachType"), 0));
    }

    /**
     * Runs a query and lists the answer.
     *
     * @param bpf the backend
     * @param spec the query, e.g. with {@link QuerySpec#EFFECTIVE} for the programs that really
     *     run on a cgroup (inherited ones included; per-program flags are then absent)
     * @return the attachments in run order
     */
    public static Attachments query(Bpf bpf, QuerySpec spec) {
        QueryResult r = Objects.requireNonNull(bpf, "bpf").progQuery(Objects.requireNonNull(spec, "spec"));
        int[] ids = r.programIds();
        List<Attached> list = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            list.add(new Attached(ids[i], at(r.linkIds(), i), at(r.programAttachFlags(), i), at(r.linkAttachFlags(), i)));
        }
        return new Attachments(spec.attachType(), r.attachFlags(), list, r.revision());
    }

    private static int at(int[] a, int i) {
        return a != null && i < a.length ? a[i] : 0;
    }

    /**
     * The program ids in run order.
     *
     * @return the ids
     */
    public int[] programIds() {
        return programs.stream().mapToInt(Attached::programId).toArray();
    }

    /**
     * The link ids in run order (0 for programs attached without a link).
     *
     * @return the ids
     */
    public int[] linkIds() {
        return programs.stream().mapToInt(Attached::linkId).toArray();
    }

    /**
     * Whether nothing is attached.
     *
     * @return true when the list is empty
     */
    public boolean isEmpty() {
        return programs.isEmpty();
    }
}
