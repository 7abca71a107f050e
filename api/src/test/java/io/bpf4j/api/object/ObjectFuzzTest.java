package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzzes the reader with mutations of the corpus objects (bit flips, boundary values written
 * over header, section-table and symbol fields, truncations, splices of another object) and
 * with random bytes behind a valid ELF identification. Each input must either read or be
 * refused with {@link ObjectFormatException}; any other exception, or a run past the time
 * bound, fails with the seed and case that replay it: {@code -Dbpf4j.fuzz.seed=S
 * -Dbpf4j.fuzz.case=N} runs that one input.
 *
 * <p>Against a vacuous pass: a share of the inputs must read and a share must be refused, with
 * many distinct reasons, so the mutations are shown to reach past the first check.
 */
class ObjectFuzzTest {
    private static final long[] BOUNDARIES = {0, 1, -1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffffL, 0x80000000L,
            0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE, 8, 16, 24, 64};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyInputReadsOrIsRefusedByName(long defaultSeed) {
        long seed = Long.getLong("bpf4j.fuzz.seed", defaultSeed);
        int cases = Integer.getInteger("bpf4j.fuzz.objects", 3000);
        Integer only = Integer.getInteger("bpf4j.fuzz.case");
        List<byte[]> corpus = new ArrayList<>();
        for (String o : Corpus.OBJECTS) corpus.add(Corpus.bytes(o));
        int[] read = new int[1];
        Set<String> reasons = new HashSet<>();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int i = 0; i < cases; i++) {
                if (only != null && only != i) continue;
                Random r = new Random(seed * 1_000_003L + i);
                StringBuilder how = new StringBuilder();
                byte[] input = mutate(r, corpus, how);
                long t0 = System.nanoTime();
                try {
                    ObjectSpec.parse("fuzz.o", input);
                    read[0]++;
                } catch (ObjectFormatException e) {
                    assertTrue(e.getMessage().startsWith("fuzz.o: "), e.getMessage());
                    reasons.add(e.getMessage().replaceAll("[0-9a-fx#]+", "N").replaceAll("'[^']*'", "S"));
                } catch (RuntimeException | Error e) {
                    fail("seed " + seed + " case " + i + " (" + how + "): " + e + " (replay: -Dbpf4j.fuzz.seed=" + seed
                            + " -Dbpf4j.fuzz.case=" + i + ")", e);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 2000, "seed " + seed + " case " + i + " (" + how + ") took " + ms + " ms");
            }
        }, "the reader must not hang (seed " + seed + ")");
        if (only != null) return;
        System.out.println("[object fuzz seed " + seed + "] " + read[0] + " of " + cases + " read, "
                + reasons.size() + " distinct refusals");
        assertTrue(read[0] > cases / 50, "too few inputs read (" + read[0] + "): the mutations are too blunt");
        assertTrue(read[0] < cases * 9 / 10, "too few inputs refused (" + (cases - read[0]) + ")");
        assertTrue(reasons.size() >= 25, "only " + reasons.size() + " distinct refusals: " + reasons);
    }

    static byte[] mutate(Random r, List<byte[]> corpus, StringBuilder how) {
        int kind = r.nextInt(10);
        byte[] base = corpus.get(r.nextInt(corpus.size()));
        byte[] b = base.clone();
        switch (kind) {
            case 0 -> { // flip a few bits anywhere
                int n = 1 + r.nextInt(8);
                how.append("flip ").append(n).append(" bits");
                for (int i = 0; i < n; i++) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            case 1, 2 -> { // a boundary value over a field of the section header table
                int shoff = (int) Math.min(le(b, 40, 8), b.length - 8);
                int at = shoff + r.nextInt(Math.max(1, (b.length - shoff) / 8)) * 8 + (r.nextBoolean() ? 0 : 4);
                writeBoundary(r, b, Math.min(at, b.length - 8), how.append("section table "));
            }
            case 3 -> writeBoundary(r, b, 16 + r.nextInt(6) * 8, how.append("header ")); // e_type .. e_shstrndx
            case 4, 5 -> { // a boundary value anywhere 8-aligned (symbols, relocations, instructions)
                writeBoundary(r, b, r.nextInt(b.length / 8) * 8, how.append("anywhere "));
            }
            case 6 -> { // truncate
                int len = r.nextInt(b.length);
                how.append("truncate to ").append(len);
                b = Arrays.copyOf(b, len);
            }
            case 7 -> { // splice a range of another object over this one
                byte[] other = corpus.get(r.nextInt(corpus.size()));
                int len = 1 + r.nextInt(256);
                int from = r.nextInt(Math.max(1, other.length - len));
                int to = r.nextInt(Math.max(1, b.length - len));
                how.append("splice ").append(len).append(" bytes");
                System.arraycopy(other, from, b, to, Math.min(len, Math.min(other.length - from, b.length - to)));
            }
            case 8 -> { // random bytes behind a valid identification and header start
                b = new byte[64 + r.nextInt(4096)];
                r.nextBytes(b);
                System.arraycopy(base, 0, b, 0, 20);
                how.append("random ").append(b.length).append(" bytes");
            }
            default -> { // many random byte writes
                int n = 1 + r.nextInt(64);
                how.append(n).append(" random bytes written");
                for (int i = 0; i < n; i++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    private static void writeBoundary(Random r, byte[] b, int at, StringBuilder how) {
        long v = BOUNDARIES[r.nextInt(BOUNDARIES.length)];
        if (r.nextInt(4) == 0) v = b.length + r.nextInt(16) - 8;
        int width = r.nextBoolean() ? 4 : 8;
        if (at < 0 || at + width > b.length) return;
        how.append(width).append("-byte ").append(v).append(" at ").append(at);
        for (int i = 0; i < width; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    private static long le(byte[] b, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) v = v << 8 | (b[at + i] & 0xffL);
        return v;
    }
}
