package io.bpf4j.sim.internal.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The hash reads whole words where it can; it must still equal {@code jhash()} of
 * {@code include/linux/jhash.h} read byte by byte, which is written out again here as the kernel
 * has it (the loop over 12-byte blocks, then the fall-through switch on the last 1..12 bytes).
 */
class JhashTest {
    private static int rol(int x, int n) {
        return Integer.rotateLeft(x, n);
    }

    private static int b(byte[] k, int i) {
        return k[i] & 0xff;
    }

    /** The kernel's jhash(), byte by byte. */
    private static int kernelJhash(byte[] k, int off, int length, int initval) {
        int a = 0xdeadbeef + length + initval;
        int bb = a;
        int c = a;
        int i = off;
        while (length > 12) {
            a += b(k, i) | b(k, i + 1) << 8 | b(k, i + 2) << 16 | b(k, i + 3) << 24;
            bb += b(k, i + 4) | b(k, i + 5) << 8 | b(k, i + 6) << 16 | b(k, i + 7) << 24;
            c += b(k, i + 8) | b(k, i + 9) << 8 | b(k, i + 10) << 16 | b(k, i + 11) << 24;
            a -= c; a ^= rol(c, 4); c += bb;
            bb -= a; bb ^= rol(a, 6); a += c;
            c -= bb; c ^= rol(bb, 8); bb += a;
            a -= c; a ^= rol(c, 16); c += bb;
            bb -= a; bb ^= rol(a, 19); a += c;
            c -= bb; c ^= rol(bb, 4); bb += a;
            length -= 12;
            i += 12;
        }
        switch (length) {
            case 12: c += b(k, i + 11) << 24; // fall through
            case 11: c += b(k, i + 10) << 16; // fall through
            case 10: c += b(k, i + 9) << 8; // fall through
            case 9: c += b(k, i + 8); // fall through
            case 8: bb += b(k, i + 7) << 24; // fall through
            case 7: bb += b(k, i + 6) << 16; // fall through
            case 6: bb += b(k, i + 5) << 8; // fall through
            case 5: bb += b(k, i + 4); // fall through
            case 4: a += b(k, i + 3) << 24; // fall through
            case 3: a += b(k, i + 2) << 16; // fall through
            case 2: a += b(k, i + 1) << 8; // fall through
            case 1:
                a += b(k, i);
                c ^= bb; c -= rol(bb, 14);
                a ^= c; a -= rol(c, 11);
                bb ^= a; bb -= rol(a, 25);
                c ^= bb; c -= rol(bb, 16);
                a ^= c; a -= rol(c, 4);
                bb ^= a; bb -= rol(a, 14);
                c ^= bb; c -= rol(bb, 24);
                break;
            default:
                break;
        }
        return c;
    }

    @Test
    void equalsTheKernelsByteWiseHashForEveryLengthAndOffset() {
        Random r = new Random(19);
        Set<Integer> distinct = new HashSet<>();
        int compared = 0;
        for (int length = 0; length <= 64; length++) {
            for (int off = 0; off < 4; off++) {
                for (int round = 0; round < 20; round++) {
                    byte[] k = new byte[off + length + 3];
                    r.nextBytes(k);
                    int seed = round == 0 ? 0 : r.nextInt();
                    int h = Jhash.jhash(k, off, length, seed);
                    assertEquals(kernelJhash(k, off, length, seed), h, "length " + length + " offset " + off + " seed " + seed);
                    distinct.add(h);
                    compared++;
                }
            }
        }
        // Guards against two implementations that agree because both ignore their input.
        assertTrue(distinct.size() > compared * 9 / 10, distinct.size() + " distinct hashes of " + compared);
    }
}
