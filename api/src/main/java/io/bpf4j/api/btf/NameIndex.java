package io.bpf4j.api.btf;

import java.util.Arrays;

/**
 * The ids of one blob's named types by name: an open hash table over the name bytes in the
 * string section, with a chain of ids per bucket. Two {@code int}s per type and no objects per
 * name, so indexing vmlinux costs about 1.5 MB, not the tens a map of strings would.
 */
final class NameIndex {
    private final Btf btf;
    /** Per bucket: the index (id - firstId) of the first type in its chain, or -1. */
    private final int[] heads;
    /** Per type: the next in its bucket's chain, or -1; chains run in id order. */
    private final int[] next;
    private final int mask;

    private NameIndex(Btf btf, int[] heads, int[] next) {
        this.btf = btf;
        this.heads = heads;
        this.next = next;
        this.mask = heads.length - 1;
    }

    static NameIndex build(Btf btf) {
        int n = btf.offsets.length - 1;
        int buckets = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1;
        int[] heads = new int[buckets];
        Arrays.fill(heads, -1);
        int[] next = new int[n];
        byte[] b = btf.buf;
        // Walked from the last type back, so that prepending leaves each chain in id order.
        for (int i = n - 1; i >= 0; i--) {
            int nameOff = Btf.u32(b, btf.offsets[i]);
            if (nameOff == 0) {
                next[i] = -1;
                continue;
            }
            int h = hashAt(btf, nameOff);
            if (h == 0) {
                next[i] = -1;
                continue;
            }
            int bucket = h & (buckets - 1);
            next[i] = heads[bucket];
            heads[bucket] = i;
        }
        return new NameIndex(btf, heads, next);
    }

    /** The bytes the index keeps. */
    long footprint() {
        return 4L * heads.length + 4L * next.length;
    }

    /** The ids of this blob's types named {@code utf8}, in id order. */
    int[] find(byte[] utf8) {
        int h = hash(utf8);
        int[] found = null;
        int count = 0;
        for (int i = heads[h & mask]; i >= 0; i = next[i]) {
            if (nameEquals(btf, Btf.u32(btf.buf, btf.offsets[i]), utf8)) {
                if (found == null) found = new int[2];
                else if (count == found.length) found = Arrays.copyOf(found, count * 2);
                found[count++] = btf.firstId + i;
            }
        }
        return found == null ? new int[0] : Arrays.copyOf(found, count);
    }

    /** FNV-1a over the bytes, then mixed so that the low bits used for buckets vary. */
    static int hash(byte[] s) {
        return hash(s, 0, s.length);
    }

    /** {@link #hash(byte[])} of {@code n} bytes of {@code s} from {@code off}. */
    static int hash(byte[] s, int off, int n) {
        int h = 0x811c9dc5;
        for (int i = off; i < off + n; i++) h = (h ^ (s[i] & 0xff)) * 0x01000193;
        return mix(h);
    }

    /**
     * {@link #hash(byte[])} of the NUL-terminated string at a name offset, or 0 for an empty
     * string, which is not indexed (a name hashing to 0 moves to 1, in {@link #hash} too).
     */
    private static int hashAt(Btf btf, int nameOff) {
        Btf o = btf;
        while (nameOff < o.strBase) o = o.base;
        byte[] b = o.buf;
        int p = o.strStart + nameOff - o.strBase;
        if (b[p] == 0) return 0;
        int h = 0x811c9dc5;
        for (; b[p] != 0; p++) h = (h ^ (b[p] & 0xff)) * 0x01000193;
        return mix(h);
    }

    private static int mix(int h) {
        int m = h ^ (h >>> 16);
        return m == 0 ? 1 : m;
    }

    /** Whether the string at a name offset is exactly {@code utf8}. */
    static boolean nameEquals(Btf btf, int nameOff, byte[] utf8) {
        Btf o = btf;
        while (nameOff < o.strBase) o = o.base;
        byte[] b = o.buf;
        int p = o.strStart + nameOff - o.strBase;
        int end = o.strStart + o.strLen;
        if (end - p <= utf8.length) return false;
        for (int i = 0; i < utf8.length; i++) {
            if (b[p + i] != utf8[i]) return false;
        }
        return b[p + utf8.length] == 0;
    }

    /**
     * A linear scan for types named {@code utf8} (and of {@code kind} unless null), as libbpf's
     * {@code btf__find_by_name_kind} does: cheaper than indexing for a lookup or two.
     */
    static int[] scan(Btf btf, byte[] utf8, BtfKind kind, boolean first) {
        int[] found = null;
        int count = 0;
        byte[] b = btf.buf;
        int n = btf.offsets.length - 1;
        for (int i = 0; i < n; i++) {
            int off = btf.offsets[i];
            int nameOff = Btf.u32(b, off);
            if (nameOff == 0 || !nameEquals(btf, nameOff, utf8)) continue;
            if (kind != null && ((Btf.u32(b, off + 4) >>> 24) & 0x1f) != kind.number()) continue;
            if (found == null) found = new int[first ? 1 : 2];
            else if (count == found.length) found = Arrays.copyOf(found, count * 2);
            found[count++] = btf.firstId + i;
            if (first) break;
        }
        return found == null ? new int[0] : Arrays.copyOf(found, count);
    }
}
