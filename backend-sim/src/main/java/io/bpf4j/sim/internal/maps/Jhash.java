package io.bpf4j.sim.internal.maps;

/**
 * Bob Jenkins' lookup3 hash as the kernel has it ({@code include/linux/jhash.h}). Hash maps and
 * the bloom filter use it, so with {@code BPF_F_ZERO_SEED} the simulator puts keys in the same
 * buckets, in the same order, as the kernel.
 */
final class Jhash {
    private static final int INITVAL = 0xdeadbeef;

    private Jhash() {
    }

    /**
     * {@code jhash(key, length, initval)}; equals {@code jhash2} on little-endian words when the
     * length is a multiple of 4, which is why one function serves both.
     */
    static int jhash(byte[] k, int off, int length, int initval) {
        int a = INITVAL + length + initval;
        int b = a;
        int c = a;
        int i = off;
        while (length > 12) {
            a += le32(k, i);
            b += le32(k, i + 4);
            c += le32(k, i + 8);
            // __jhash_mix
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            length -= 12;
            i += 12;
        }
        if (length == 0) return c;
        if ((length & 3) == 0) {
            // Whole words (jhash2's tail): what the byte-wise switch below adds, read a word at a
            // time; keys are mostly u32 or u64, and a map's every lookup hashes its key.
            a += le32(k, i);
            if (length >= 8) b += le32(k, i + 4);
            if (length == 12) c += le32(k, i + 8);
        } else {
            // The tail, as the kernel's fall-through switch adds it.
            for (int j = length - 1; j >= 0; j--) {
                int v = (k[i + j] & 0xff) << ((j & 3) * 8);
                if (j >= 8) c += v;
                else if (j >= 4) b += v;
                else a += v;
            }
        }
        // __jhash_final
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    static int le32(byte[] k, int i) {
        return (k[i] & 0xff) | (k[i + 1] & 0xff) << 8 | (k[i + 2] & 0xff) << 16 | (k[i + 3] & 0xff) << 24;
    }
}
