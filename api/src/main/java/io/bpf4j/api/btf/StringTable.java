package io.bpf4j.api.btf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A BTF string section being built: NUL-terminated strings back to back, each stored once. An
 * open hash table of offsets finds a string already present without an object per string, so a
 * table seeded with vmlinux's 124,000 strings stays small.
 *
 * <p>When seeded with an existing section, every string in it keeps its offset (the first copy
 * wins when the section holds one twice) and new strings go after it.
 */
final class StringTable {
    private byte[] data;
    private int len;
    /** Offsets + 1 of indexed strings; 0 is an empty slot. */
    private int[] slots;
    private int count;

    private StringTable(byte[] data, int len) {
        this.data = data;
        this.len = len;
        this.slots = new int[Math.max(16, Integer.highestOneBit(Math.max(1, len / 8)) << 2)];
    }

    /** A table holding only the empty string, at offset 0. */
    static StringTable empty() {
        return new StringTable(new byte[256], 1);
    }

    /** A table holding only what strings a blob of split BTF adds: none yet. */
    static StringTable none() {
        return new StringTable(new byte[256], 0);
    }

    /**
     * A table that starts as an existing section, byte for byte.
     *
     * @param section the section; must be empty or end with NUL
     */
    static StringTable seeded(byte[] section) {
        StringTable t = new StringTable(Arrays.copyOf(section, Math.max(256, section.length + section.length / 4)), section.length);
        // Indexed at the first lookup: a table only copied out (an object's BTF loaded with a
        // few types rewritten in place) never needs it.
        t.unindexed = section.length;
        return t;
    }

    /** The length of a seeded section not yet indexed, 0 once it is. */
    private int unindexed;

    private void index() {
        int n = unindexed;
        unindexed = 0;
        for (int p = 0; p < n;) {
            int end = p;
            while (data[end] != 0) end++;
            insertIfAbsent(p, end - p);
            p = end + 1;
        }
    }

    /** The section's length in bytes. */
    int length() {
        return len;
    }

    /** The section's bytes. */
    byte[] bytes() {
        return Arrays.copyOf(data, len);
    }

    /** The offset of {@code s}, or -1 when it is not in the table. */
    int find(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        return find(u);
    }

    private int find(byte[] u) {
        if (unindexed > 0) index();
        if (u.length == 0 && len > 0 && data[0] == 0) return 0;
        int mask = slots.length - 1;
        for (int i = NameIndex.hash(u) & mask;; i = (i + 1) & mask) {
            int o = slots[i] - 1;
            if (o < 0) return -1;
            if (equalsAt(o, u)) return o;
        }
    }

    /** The offset of {@code s}, added at the end when it is not in the table yet. */
    int add(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        for (byte c : u) {
            if (c == 0) throw new IllegalArgumentException("name: \"" + s + "\" contains NUL");
        }
        int found = find(u);
        if (found >= 0) return found;
        int at = len;
        if (data.length < len + u.length + 1) data = Arrays.copyOf(data, Math.max(data.length * 2, len + u.length + 1));
        System.arraycopy(u, 0, data, at, u.length);
        data[at + u.length] = 0;
        len += u.length + 1;
        insertIfAbsent(at, u.length);
        return at;
    }

    private void insertIfAbsent(int off, int n) {
        if (n == 0) return;
        if ((count + 1) * 2 > slots.length) grow();
        int mask = slots.length - 1;
        int h = hashAt(off, n);
        for (int i = h & mask;; i = (i + 1) & mask) {
            int o = slots[i] - 1;
            if (o < 0) {
                slots[i] = off + 1;
                count++;
                return;
            }
            if (sameString(o, off, n)) return;
        }
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        int mask = slots.length - 1;
        for (int s : old) {
            if (s == 0) continue;
            int off = s - 1;
            int n = 0;
            while (data[off + n] != 0) n++;
            int i = hashAt(off, n) & mask;
            while (slots[i] != 0) i = (i + 1) & mask;
            slots[i] = s;
        }
    }

    private int hashAt(int off, int n) {
        return NameIndex.hash(data, off, n);
    }

    private boolean equalsAt(int off, byte[] u) {
        if (off + u.length >= len) return false;
        for (int i = 0; i < u.length; i++) {
            if (data[off + i] != u[i]) return false;
        }
        return data[off + u.length] == 0;
    }

    private boolean sameString(int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            if (data[a + i] != data[b + i]) return false;
        }
        return data[a + n] == 0;
    }
}
