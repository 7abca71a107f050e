package io.bpf4j.sim.internal.verifier;

import io.bpf4j.api.Errno;
import java.util.ArrayList;

/**
 * The states recorded at prune points of one function's walk ({@code explored_states} and
 * {@code is_state_visited()} in {@code kernel/bpf/verifier.c}, Linux 6.18).
 *
 * <p>A recorded state whose paths are not all finished is an ancestor of the path being walked:
 * the walk is depth first, so every path forked below a recorded state is walked before anything
 * forked above it. As in the kernel, each recorded state counts its unfinished paths
 * ({@code branches}): a path that forks adds one to its newest recorded state, a path that ends
 * takes one away and, when that reaches zero, from the state before it. Telling an ancestor from a
 * finished state is then one comparison, where walking the path back made every visit of a loop
 * head cost a search per recorded state there.
 */
final class StateStore {
    /** States kept per instruction; later ones are walked without being recorded. */
    private static final int STATES_PER_INSN = 64;

    /** A recorded state, the one recorded before it on its path, and its unfinished paths. */
    static final class Node {
        final VState snap;
        final Node parent;
        int branches = 1;
        /** {@link #registers} of {@link #snap}, computed when first compared. */
        private long sig;
        private boolean signed;

        Node(VState snap, Node parent) {
            this.snap = snap;
            this.parent = parent;
        }

        long sig() {
            if (!signed) {
                sig = registers(snap);
                signed = true;
            }
            return sig;
        }
    }

    private final ArrayList<?>[] at;

    StateStore(int insns) {
        at = new ArrayList<?>[insns];
    }

    @SuppressWarnings("unchecked")
    private ArrayList<Node> list(int pc) {
        ArrayList<Node> l = (ArrayList<Node>) at[pc];
        if (l == null) {
            l = new ArrayList<>(4);
            at[pc] = l;
        }
        return l;
    }

    /**
     * A path reaches a prune point: whether a finished state covers it (the path ends here), else
     * it is recorded.
     *
     * @param s the path's state
     * @param live the registers live here, as a bit mask
     * @return true when the path is pruned
     * @throws Verifier.Reject when an unfinished state equals it: a loop that never ends
     */
    boolean visit(VState s, int live) {
        ArrayList<Node> seen = list(s.pc);
        long sig = 0;
        boolean signed = false;
        for (int i = 0, n = seen.size(); i < n; i++) {
            Node node = seen.get(i);
            VState v = node.snap;
            if (node.branches > 0) {
                // Still being explored, so on this path: the kernel prunes only against finished
                // states, and an equal one on the path is a loop that never ends.
                if (!signed) {
                    sig = registers(s);
                    signed = true;
                }
                if (node.sig() == sig && !s.speculative && v.mayGotoDepth == s.mayGotoDepth && v.same(s) && s.allExact()) {
                    throw new Verifier.Reject(Errno.EINVAL, "infinite loop detected at insn " + s.pc, false);
                }
            } else if (v.covers(s, live)) {
                return true;
            }
        }
        if (seen.size() < STATES_PER_INSN) {
            s.trail = new Node(s.copy(), s.trail);
            seen.add(s.trail);
        }
        return false;
    }

    /**
     * A digest of register fields {@link VState#same} compares: states with different digests
     * differ, so the loop check tells apart the states at a loop head, which differ in a counter,
     * in one step.
     */
    static long registers(VState s) {
        long h = s.mayGotoDepth;
        for (Reg r : s.regs) h = ((h * 31 + r.type) * 31 + r.umin) * 31 + r.smax + r.off;
        return h;
    }

    /**
     * A path pushed {@code n} others, forked from it: they share its newest recorded state.
     *
     * @param s the path
     * @param n the paths it forked
     */
    static void forked(VState s, int n) {
        if (s.trail != null) s.trail.branches += n;
    }

    /**
     * A path ended (at an exit, pruned, or given up on): the recorded states it was the last
     * unfinished path of are finished.
     *
     * @param s the path
     */
    static void ended(VState s) {
        for (Node n = s.trail; n != null; n = n.parent) {
            if (--n.branches > 0) return;
        }
    }
}
