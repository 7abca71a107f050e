package io.bpf4j.sim.internal.maps;

/**
 * The kernel's LRU lists for LRU hash maps ({@code kernel/bpf/bpf_lru_list.c}, Linux 6.18),
 * ported list for list: a global active / inactive / free list with per-CPU free and pending
 * lists (common LRU), or one such list per CPU ({@code BPF_F_NO_COMMON_LRU}). Eviction,
 * rotation and the reference bit work as there, so a small map evicts the same keys as the
 * kernel when every operation comes from one CPU.
 */
final class Lru {
    static final int T_ACTIVE = 0;
    static final int T_INACTIVE = 1;
    static final int T_FREE = 2;
    static final int T_LOCAL_FREE = 3;
    static final int T_LOCAL_PENDING = 4;
    private static final int LOCAL_FREE_TARGET = 128;
    private static final int PERCPU_FREE_TARGET = 4;
    private static final int NR_SCANS = LOCAL_FREE_TARGET;

    /** A node of a circular doubly linked list; a list head is a node with no element. */
    static class Node {
        Node prev = this;
        Node next = this;
        int type;
        boolean ref;
        int cpu;
        /** The element using this node, or null while free. */
        HashTab.Elem elem;
    }

    /** One LRU list: three lists, two counts and the inactive rotation cursor. */
    private static final class LruList {
        final Node[] lists = {new Node(), new Node(), new Node()};
        final int[] counts = new int[2];
        Node nextInactiveRotation;

        LruList() {
            nextInactiveRotation = lists[T_INACTIVE];
        }
    }

    /** A CPU's local lists of the common LRU. */
    private static final class LocalList {
        final Node free = new Node();
        final Node pending = new Node();
        int nextSteal;
    }

    /** Removes an element from the hash table; false if it was not there. */
    interface DelFromHtab {
        boolean del(Node node);
    }

    private final boolean percpu;
    private final int cpus;
    private final DelFromHtab delFromHtab;
    private final LruList common = new LruList();
    private final LocalList[] locals;
    private final LruList[] percpuLists;
    private final int targetFree;

    Lru(boolean percpu, int cpus, int nrElems, DelFromHtab delFromHtab) {
        this.percpu = percpu;
        this.cpus = cpus;
        this.delFromHtab = delFromHtab;
        if (percpu) {
            locals = null;
            percpuLists = new LruList[cpus];
            for (int c = 0; c < cpus; c++) percpuLists[c] = new LruList();
            int per = nrElems / cpus;
            int i = 0;
            outer:
            for (int c = 0; c < cpus; c++) {
                do {
                    Node n = new Node();
                    n.cpu = c;
                    n.type = T_FREE;
                    listAdd(n, percpuLists[c].lists[T_FREE]);
                    if (++i == nrElems) break outer;
                } while (i % per != 0);
            }
            targetFree = 0;
        } else {
            percpuLists = null;
            locals = new LocalList[cpus];
            for (int c = 0; c < cpus; c++) {
                locals[c] = new LocalList();
                locals[c].nextSteal = c;
            }
            for (int i = 0; i < nrElems; i++) {
                Node n = new Node();
                n.type = T_FREE;
                listAdd(n, common.lists[T_FREE]);
            }
            targetFree = Math.max(1, Math.min(LOCAL_FREE_TARGET, nrElems / cpus / 2));
        }
    }

    // ---------------------------------------------------------------- list primitives

    private static void listDel(Node n) {
        n.prev.next = n.next;
        n.next.prev = n.prev;
        n.prev = n;
        n.next = n;
    }

    private static void listAdd(Node n, Node head) {
        n.next = head.next;
        n.prev = head;
        head.next.prev = n;
        head.next = n;
    }

    private static void listMove(Node n, Node head) {
        listDel(n);
        listAdd(n, head);
    }

    private static boolean empty(Node head) {
        return head.next == head;
    }

    private static boolean isLocal(int type) {
        return type >= T_LOCAL_FREE;
    }

    private static void countInc(LruList l, int type) {
        if (type < 2) l.counts[type]++;
    }

    private static void countDec(LruList l, int type) {
        if (type < 2) l.counts[type]--;
    }

    // ---------------------------------------------------------------- bpf_lru_list.c

    private static void moveToFree(LruList l, Node node, Node freeList, int tgtFreeType) {
        if (node == l.nextInactiveRotation) l.nextInactiveRotation = l.nextInactiveRotation.prev;
        countDec(l, node.type);
        node.type = tgtFreeType;
        listMove(node, freeList);
    }

    private static void moveIn(LruList l, Node node, int tgt) {
        countInc(l, tgt);
        node.type = tgt;
        node.ref = false;
        listMove(node, l.lists[tgt]);
    }

    private static void move(LruList l, Node node, int tgt) {
        if (node.type != tgt) {
            countDec(l, node.type);
            countInc(l, tgt);
            node.type = tgt;
        }
        node.ref = false;
        if (node == l.nextInactiveRotation) l.nextInactiveRotation = l.nextInactiveRotation.prev;
        listMove(node, l.lists[tgt]);
    }

    private static void rotateActive(LruList l) {
        Node active = l.lists[T_ACTIVE];
        Node first = active.next;
        int i = 0;
        for (Node node = active.prev, tmp = node.prev; node != active; node = tmp, tmp = node.prev) {
            move(l, node, node.ref ? T_ACTIVE : T_INACTIVE);
            if (++i == NR_SCANS || node == first) break;
        }
    }

    private static void rotateInactive(LruList l) {
        Node inactive = l.lists[T_INACTIVE];
        if (empty(inactive)) return;
        Node last = l.nextInactiveRotation.next;
        if (last == inactive) last = last.next;
        Node cur = l.nextInactiveRotation;
        Node next = null;
        int i = 0;
        while (i < NR_SCANS) {
            if (cur == inactive) {
                cur = cur.prev;
                continue;
            }
            next = cur.prev;
            if (cur.ref) move(l, cur, T_ACTIVE);
            if (cur == last) break;
            cur = next;
            i++;
        }
        l.nextInactiveRotation = next;
    }

    private int shrinkInactive(LruList l, int tgt, Node freeList, int tgtFreeType) {
        Node inactive = l.lists[T_INACTIVE];
        int n = 0;
        int i = 0;
        for (Node node = inactive.prev, tmp = node.prev; node != inactive; node = tmp, tmp = node.prev) {
            if (node.ref) {
                move(l, node, T_ACTIVE);
            } else if (delFromHtab.del(node)) {
                moveToFree(l, node, freeList, tgtFreeType);
                if (++n == tgt) break;
            }
            if (++i == NR_SCANS) break;
        }
        return n;
    }

    private static void rotate(LruList l) {
        if (l.counts[T_INACTIVE] < l.counts[T_ACTIVE]) rotateActive(l);
        rotateInactive(l);
    }

    private int shrink(LruList l, int tgt, Node freeList, int tgtFreeType) {
        int n = shrinkInactive(l, tgt, freeList, tgtFreeType);
        if (n > 0) return n;
        // Force: evict one node ignoring the reference bit, inactive list first.
        Node force = !empty(l.lists[T_INACTIVE]) ? l.lists[T_INACTIVE] : l.lists[T_ACTIVE];
        for (Node node = force.prev, tmp = node.prev; node != force; node = tmp, tmp = node.prev) {
            if (delFromHtab.del(node)) {
                moveToFree(l, node, freeList, tgtFreeType);
                return 1;
            }
        }
        return 0;
    }

    private void localFlush(LruList l, LocalList loc) {
        for (Node node = loc.pending.prev, tmp = node.prev; node != loc.pending; node = tmp, tmp = node.prev) {
            moveIn(l, node, node.ref ? T_ACTIVE : T_INACTIVE);
        }
    }

    private void popFreeToLocal(LocalList loc) {
        LruList l = common;
        localFlush(l, loc);
        rotate(l);
        int nfree = 0;
        Node free = l.lists[T_FREE];
        for (Node node = free.next, tmp = node.next; node != free; node = tmp, tmp = node.next) {
            moveToFree(l, node, loc.free, T_LOCAL_FREE);
            if (++nfree == targetFree) break;
        }
        if (nfree < targetFree) shrink(l, targetFree - nfree, loc.free, T_LOCAL_FREE);
    }

    private static Node localPopFree(LocalList loc) {
        if (empty(loc.free)) return null;
        Node n = loc.free.next;
        listDel(n);
        return n;
    }

    private Node localPopPending(LocalList loc) {
        for (int pass = 0; pass < 2; pass++) {
            for (Node node = loc.pending.prev; node != loc.pending; node = node.prev) {
                if ((!node.ref || pass == 1) && delFromHtab.del(node)) {
                    listDel(node);
                    return node;
                }
            }
        }
        return null;
    }

    private static void addPending(LocalList loc, int cpu, Node node) {
        node.cpu = cpu;
        node.type = T_LOCAL_PENDING;
        node.ref = false;
        listAdd(node, loc.pending);
    }

    /**
     * {@code bpf_lru_pop_free()}: a free node for a new element, evicting if needed.
     *
     * @param cpu the CPU doing the insert
     * @return the node, or null when nothing can be freed
     */
    Node popFree(int cpu) {
        return percpu ? percpuPopFree(cpu) : commonPopFree(cpu);
    }

    private Node commonPopFree(int cpu) {
        LocalList loc = locals[cpu];
        Node node = localPopFree(loc);
        if (node == null) {
            popFreeToLocal(loc);
            node = localPopFree(loc);
        }
        if (node != null) {
            addPending(loc, cpu, node);
            return node;
        }
        int first = loc.nextSteal;
        int steal = first;
        do {
            LocalList s = locals[steal];
            node = localPopFree(s);
            if (node == null) node = localPopPending(s);
            steal = (steal + 1) % cpus;
        } while (node == null && steal != first);
        loc.nextSteal = steal;
        if (node != null) addPending(loc, cpu, node);
        return node;
    }

    private Node percpuPopFree(int cpu) {
        LruList l = percpuLists[cpu];
        rotate(l);
        Node free = l.lists[T_FREE];
        if (empty(free)) shrink(l, PERCPU_FREE_TARGET, free, T_FREE);
        if (empty(free)) return null;
        Node node = free.next;
        node.ref = false;
        move(l, node, T_INACTIVE);
        return node;
    }

    /**
     * {@code bpf_lru_push_free()}: gives a node back after its element was deleted or replaced.
     *
     * @param node the node
     */
    void pushFree(Node node) {
        node.elem = null;
        if (percpu) {
            move(percpuLists[node.cpu], node, T_FREE);
            return;
        }
        if (node.type == T_LOCAL_PENDING) {
            node.type = T_LOCAL_FREE;
            node.ref = false;
            listMove(node, locals[node.cpu].free);
            return;
        }
        move(common, node, T_FREE);
    }

    /**
     * {@code bpf_lru_node_set_ref()}: a program looked the element up.
     *
     * @param node the node
     */
    static void setRef(Node node) {
        node.ref = true;
    }
}
