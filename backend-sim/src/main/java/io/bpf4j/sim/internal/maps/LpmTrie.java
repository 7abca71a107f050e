package io.bpf4j.sim.internal.maps;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;

/**
 * The longest-prefix-match trie ({@code kernel/bpf/lpm_trie.c}), ported node for node: real and
 * intermediate nodes, the same insertion and deletion rewiring, so {@code get_next_key} walks the
 * same post-order (more specific prefixes first) as the kernel. Keys are a 4-byte little-endian
 * prefix length followed by the data; a lookup returns the longest stored prefix that matches.
 */
public final class LpmTrie extends SimMap {
    private static final int MAX_DATA = 256;

    /** A trie node; intermediate nodes have exactly two children and no value. */
    private static final class Node {
        final Node[] child = new Node[2];
        int prefixlen;
        boolean im;
        final byte[] data;
        final byte[] value;

        Node(int prefixlen, byte[] data, byte[] value) {
            this.prefixlen = prefixlen;
            this.data = data;
            this.value = value;
        }
    }

    /** A place a node hangs from: the root (owner null) or a child pointer. */
    private final class Slot {
        final Node owner;
        final int idx;

        Slot(Node owner, int idx) {
            this.owner = owner;
            this.idx = idx;
        }

        Node get() {
            return owner == null ? root : owner.child[idx];
        }

        void set(Node n) {
            if (owner == null) root = n;
            else owner.child[idx] = n;
        }
    }

    private final int dataSize;
    private final int maxPrefixlen;
    private Node root;
    private int nEntries;

    /**
     * Creates the trie.
     *
     * @param kernel the kernel
     * @param spec checked attributes
     */
    public LpmTrie(Kernel kernel, MapSpec spec) {
        super(kernel, spec);
        this.dataSize = spec.keySize() - 4;
        this.maxPrefixlen = dataSize * 8;
    }

    /**
     * Checks the attributes as {@code trie_alloc()} does; {@code BPF_F_NO_PREALLOC} is required.
     *
     * @param s the attributes
     */
    static void check(MapSpec s) {
        int mask = MapFlags.NO_PREALLOC | MapFlags.NUMA_NODE | MapFactory.ACCESS_MASK;
        long maxVal = MapFactory.KMALLOC_MAX_SIZE - MAX_DATA - 24;
        if (s.maxEntries() == 0 || (s.flags() & MapFlags.NO_PREALLOC) == 0 || (s.flags() & ~mask) != 0
                || !MapFactory.accessOk(s.flags()) || s.keySize() < 4 + 1 || s.keySize() > 4 + MAX_DATA
                || s.valueSize() < 1 || s.valueSize() > maxVal) {
            throw KErr.of(Errno.EINVAL, "LPM trie attributes (BPF_F_NO_PREALLOC is required)");
        }
    }

    private static int prefixlen(byte[] key) {
        return Jhash.le32(key, 0);
    }

    private static int bit(byte[] data, int off, int index) {
        return (data[off + index / 8] >> (7 - index % 8)) & 1;
    }

    /** {@code longest_prefix_match()}: matching leading bits, at most both prefix lengths. */
    private int match(Node node, byte[] key) {
        long limit = Math.min(Integer.toUnsignedLong(node.prefixlen), Integer.toUnsignedLong(prefixlen(key)));
        int n = 0;
        for (int i = 0; i < dataSize && n < limit; i++) {
            int diff = (node.data[i] ^ key[4 + i]) & 0xff;
            if (diff == 0) {
                n += 8;
                continue;
            }
            n += Integer.numberOfLeadingZeros(diff) - 24;
            break;
        }
        return (int) Math.min(n, limit);
    }

    /** {@code trie_lookup_elem()}: a prefix length above the trie's maximum finds nothing. */
    private Node longestMatch(byte[] key) {
        if (Integer.toUnsignedLong(prefixlen(key)) > maxPrefixlen) return null;
        Node found = null;
        for (Node node = root; node != null;) {
            int m = match(node, key);
            if (m == maxPrefixlen) return node;
            if (m < node.prefixlen) break;
            if (!node.im) found = node;
            node = node.child[bit(key, 4, node.prefixlen)];
        }
        return found;
    }

    private void checkAdd(long flags) {
        if (flags == EXIST) throw KErr.of(Errno.ENOENT);
        if (nEntries == maxEntries) throw KErr.of(Errno.ENOSPC, "trie is full");
        nEntries++;
    }

    @Override
    public void sysLookup(byte[] key, byte[] out) {
        Node n = longestMatch(key);
        if (n == null) throw enoent();
        System.arraycopy(n.value, 0, out, 0, valueSize);
    }

    @Override
    public void sysUpdate(byte[] key, byte[] value, long flags) {
        if (flags > EXIST || flags < 0) throw KErr.of(Errno.EINVAL, "flags");
        int plen = prefixlen(key);
        if (Integer.toUnsignedLong(plen) > maxPrefixlen) throw KErr.of(Errno.EINVAL, "prefixlen " + Integer.toUnsignedString(plen));
        byte[] data = new byte[dataSize];
        System.arraycopy(key, 4, data, 0, dataSize);
        Node fresh = new Node(plen, data, value.clone());
        Slot slot = new Slot(null, 0);
        Node node;
        int m = 0;
        while ((node = slot.get()) != null) {
            m = match(node, key);
            if (node.prefixlen != m || node.prefixlen == plen) break;
            slot = new Slot(node, bit(key, 4, node.prefixlen));
        }
        if (node == null) {
            checkAdd(flags);
            slot.set(fresh);
            return;
        }
        if (node.prefixlen == m) {
            if (!node.im) {
                if (flags == NOEXIST) throw KErr.of(Errno.EEXIST);
            } else {
                checkAdd(flags);
            }
            fresh.child[0] = node.child[0];
            fresh.child[1] = node.child[1];
            slot.set(fresh);
            return;
        }
        checkAdd(flags);
        if (m == plen) {
            // The new prefix covers the node: insert it as the node's parent.
            fresh.child[bit(node.data, 0, m)] = node;
            slot.set(fresh);
            return;
        }
        Node im = new Node(m, node.data.clone(), null);
        im.im = true;
        if (bit(key, 4, m) == 1) {
            im.child[0] = node;
            im.child[1] = fresh;
        } else {
            im.child[0] = fresh;
            im.child[1] = node;
        }
        slot.set(im);
    }

    @Override
    public void sysDelete(byte[] key) {
        int plen = prefixlen(key);
        if (Integer.toUnsignedLong(plen) > maxPrefixlen) throw KErr.of(Errno.EINVAL, "prefixlen");
        Slot trim = new Slot(null, 0);
        Slot trim2 = trim;
        Node parent = null;
        Node node;
        int m = 0;
        while ((node = trim.get()) != null) {
            m = match(node, key);
            if (node.prefixlen != m || node.prefixlen == plen) break;
            parent = node;
            trim2 = trim;
            trim = new Slot(node, bit(key, 4, node.prefixlen));
        }
        if (node == null || node.prefixlen != plen || node.prefixlen != m || node.im) throw enoent();
        nEntries--;
        if (node.child[0] != null && node.child[1] != null) {
            node.im = true;
            return;
        }
        if (parent != null && parent.im && node.child[0] == null && node.child[1] == null) {
            // Drop the intermediate parent too and promote its other child.
            trim2.set(node == parent.child[0] ? parent.child[1] : parent.child[0]);
            return;
        }
        trim.set(node.child[0] != null ? node.child[0] : node.child[1]);
    }

    @Override
    public void sysNextKey(byte[] key, byte[] next) {
        if (root == null) throw enoent();
        Node searchRoot = root;
        Node nextNode = null;
        if (key != null && Integer.toUnsignedLong(prefixlen(key)) <= maxPrefixlen) {
            List<Node> stack = new ArrayList<>();
            Node node;
            int m = 0;
            for (node = root; node != null;) {
                stack.add(node);
                m = match(node, key);
                if (node.prefixlen != m || node.prefixlen == prefixlen(key)) break;
                node = node.child[bit(key, 4, node.prefixlen)];
            }
            if (node != null && node.prefixlen == m && !node.im) {
                // The exact node exists: the next one in post-order.
                int sp = stack.size() - 1;
                node = stack.get(sp);
                searchRoot = null;
                while (sp > 0) {
                    Node p = stack.get(sp - 1);
                    if (p.child[0] == node && p.child[1] != null) {
                        searchRoot = p.child[1];
                        break;
                    }
                    if (!p.im) {
                        nextNode = p;
                        break;
                    }
                    node = p;
                    sp--;
                }
                if (searchRoot == null && nextNode == null) throw enoent();
            }
        }
        if (nextNode == null) {
            for (Node node = searchRoot; node != null;) {
                if (node.im) {
                    node = node.child[0];
                } else {
                    nextNode = node;
                    node = node.child[0] != null ? node.child[0] : nextNode.child[1];
                }
            }
        }
        int p = nextNode.prefixlen;
        next[0] = (byte) p;
        next[1] = (byte) (p >>> 8);
        next[2] = (byte) (p >>> 16);
        next[3] = (byte) (p >>> 24);
        System.arraycopy(nextNode.data, 0, next, 4, dataSize);
    }

    @Override
    public boolean hasBatch(int cmd) {
        // trie_map_ops: generic lookup, update and delete batches; no lookup-and-delete.
        return cmd != 1;
    }

    @Override
    public byte[] lookup(byte[] key, int cpu) {
        Node n = longestMatch(key);
        return n == null ? null : n.value;
    }

    @Override
    public int update(byte[] key, byte[] value, long flags, int cpu) {
        try {
            sysUpdate(key, value, flags);
            return 0;
        } catch (KErr e) {
            return -e.errno().linux();
        }
    }

    @Override
    public int delete(byte[] key) {
        try {
            sysDelete(key);
            return 0;
        } catch (KErr e) {
            return -e.errno().linux();
        }
    }
}
