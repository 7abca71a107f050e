package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The parser and everything that follows references, fed mutated BTF and random bytes. Each
 * input either parses, and then every type decodes, prints, resolves, sizes and re-encodes to
 * equal types, or is refused with {@link BtfFormatException}; nothing else may escape (sizes of
 * kinds that have none are the documented {@link IllegalArgumentException}). Each case is bounded
 * in time and in what the parser allocates.
 *
 * <p>Seeded and replayable: case {@code i} of test {@code t} uses {@code new Random(caseSeed(t, i))}; a failure names the
 * seed and case. {@code -Dbpf4j.btf.fuzz.seed=S} changes the seed, {@code -Dbpf4j.btf.fuzz.cases=N}
 * the number of cases, {@code -Dbpf4j.btf.fuzz.case=I} runs case I alone.
 */
class BtfFuzzTest {
    private static final long SEED = Long.getLong("bpf4j.btf.fuzz.seed", 20_251_203L);
    private static final int CASES = Integer.getInteger("bpf4j.btf.fuzz.cases", 6000);
    private static final Integer ONLY = Integer.getInteger("bpf4j.btf.fuzz.case");
    /** No case may take longer than this, whatever the machine's load. */
    private static final long CASE_LIMIT_NS = 2_000_000_000L;

    private static final int[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 0xff, 0xffff, 0x10000, 0xffffff, 0x1000000,
        Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -2, 0x0d000002, 0x04000003, 0x84000002, 0x13000001, 0x11000000};

    /** Valid seeds to mutate: every kind, in both byte orders, and a blob of loops. */
    private static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(AllKinds.hand().bytes());
        c.add(AllKinds.hand().bytes(ByteOrder.BIG_ENDIAN));
        HandBlob h = new HandBlob();
        h.type(h.str("a"), 8, false, 0, 2);
        h.type(h.str("b"), 8, false, 0, 1);
        h.type(0, 3, false, 0, 0, 4, 1, 2);
        h.type(0, 3, false, 0, 0, 3, 1, 2);
        h.type(h.str("s"), 4, true, 1, 4, h.str("m"), 1, 3 << 24 | 1);
        h.type(0, 2, false, 0, 5);
        c.add(h.bytes());
        return c;
    }

    @Test
    void mutatedBtf() {
        List<byte[]> corpus = corpus();
        Tally t = new Tally();
        t.alloc.checkItCounts();
        for (int i = 0; i < CASES; i++) {
            if (ONLY != null && ONLY != i) continue;
            Random r = new Random(caseSeed(1, i));
            byte[] input = mutate(r, corpus.get(r.nextInt(corpus.size())));
            t.run("mutated", i, input);
        }
        System.out.println("[btf fuzz, mutated, seed " + SEED + "] " + t.summary());
        if (ONLY != null) return;
        // Not vacuous: many mutants parse and are exercised, many are refused, for many reasons.
        assertTrue(t.parsed > CASES / 20, "too few mutants parse: " + t.summary());
        assertTrue(t.rejected > CASES / 10, "too few mutants are refused: " + t.summary());
        assertTrue(t.reasons.size() >= 15, "too few distinct reasons: " + t.reasons.keySet());
        assertTrue(t.typesExercised > CASES, "too few types exercised: " + t.summary());
    }

    @Test
    void randomBytes() {
        Tally t = new Tally();
        for (int i = 0; i < CASES; i++) {
            if (ONLY != null && ONLY != i) continue;
            Random r = new Random(caseSeed(2, i));
            byte[] b = new byte[r.nextInt(r.nextBoolean() ? 64 : 1024)];
            r.nextBytes(b);
            if (b.length >= 24 && r.nextInt(4) != 0) {
                // A plausible header over random sections, so the checks past the magic run too.
                ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                h.putShort(0, (short) 0xeb9f).put(2, (byte) 1).put(3, (byte) 0).putInt(4, 24);
                int data = b.length - 24;
                int typeLen = r.nextInt(data + 1) & ~3;
                h.putInt(8, 0).putInt(12, typeLen).putInt(16, typeLen).putInt(20, data - typeLen);
                if (r.nextBoolean() && data > typeLen) b[24 + typeLen] = 0;
                b[b.length - 1] = r.nextBoolean() ? 0 : b[b.length - 1];
            }
            t.run("random", i, b);
        }
        System.out.println("[btf fuzz, random, seed " + SEED + "] " + t.summary());
        if (ONLY != null) return;
        assertTrue(t.rejected > CASES / 2, t.summary());
        assertTrue(t.reasons.size() >= 8, "too few distinct reasons: " + t.reasons.keySet());
    }

    @Test
    void mutatedBtfExt() {
        Btf btf = BtfExtTest.objectBtf();
        byte[] ext = BtfExtTest.sample(btf, ByteOrder.LITTLE_ENDIAN, 8);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            if (ONLY != null && ONLY != i) continue;
            Random r = new Random(caseSeed(3, i));
            byte[] input = mutate(r, ext);
            try {
                BtfExt e = BtfExt.parse(input, btf);
                e.funcInfos().forEach(s -> s.records().forEach(x -> x.insnIndex()));
                parsed++;
            } catch (BtfFormatException e) {
                rejected++;
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " (seed " + SEED + "): .BTF.ext threw " + e + " for "
                        + Arrays.toString(input), e);
            }
        }
        if (ONLY != null) return;
        assertTrue(parsed > CASES / 20 && rejected > CASES / 20, "parsed " + parsed + ", rejected " + rejected);
    }

    /** Distinct seeds for every test, case and run seed, as long as a run has under a million cases. */
    private static long caseSeed(int test, int i) {
        return (SEED * 4 + test) * 1_000_003L + i;
    }

    static byte[] mutate(Random r, byte[] seed) {
        byte[] b = seed.clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            switch (r.nextInt(7)) {
                case 0 -> {
                    for (int n = 1 + r.nextInt(8); n > 0; n--) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                case 1, 2 -> {
                    // a word of the type section, where kinds, counts and ids live
                    int at = 24 + 4 * r.nextInt(Math.max(1, (b.length - 24) / 4));
                    if (at + 4 <= b.length) putWord(b, at, pick(r));
                }
                case 3 -> {
                    int at = 4 * (1 + r.nextInt(5));
                    if (at + 4 <= b.length) putWord(b, at, pick(r));
                }
                case 4 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 5 -> {
                    byte[] more = new byte[1 + r.nextInt(64)];
                    r.nextBytes(more);
                    byte[] c = Arrays.copyOf(b, b.length + more.length);
                    System.arraycopy(more, 0, c, b.length, more.length);
                    b = c;
                }
                default -> {
                    if (b.length > 8) {
                        int from = r.nextInt(b.length - 4);
                        int to = r.nextInt(b.length - 4);
                        System.arraycopy(b, from, b, to, 4);
                    }
                }
            }
            if (b.length == 0) break;
        }
        return b;
    }

    private static int pick(Random r) {
        return r.nextInt(3) == 0 ? r.nextInt() : INTERESTING[r.nextInt(INTERESTING.length)] + (r.nextInt(5) == 0 ? r.nextInt(40) : 0);
    }

    private static void putWord(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    /** Outcomes of one kind of input. */
    private static final class Tally {
        private final Allocation alloc = Allocation.create();
        int parsed;
        int rejected;
        long typesExercised;
        final Map<String, Integer> reasons = new TreeMap<>();

        Tally() {
            // Loads and initialises the parser's classes, which would otherwise count as the first case's allocation.
            for (byte[] c : corpus()) exercise(Btf.parse(c));
        }

        void run(String what, int i, byte[] input) {
            long start = System.nanoTime();
            try {
                long before = alloc.bytes();
                Btf btf;
                try {
                    btf = Btf.parse(input);
                } catch (BtfFormatException e) {
                    rejected++;
                    reasons.merge(reason(e.getMessage()), 1, Integer::sum);
                    return;
                }
                long used = alloc.bytes() - before;
                // The parser keeps the blob, a little-endian copy when it was big-endian, and one int per type.
                long bound = 2L * input.length + 4L * (input.length / 12 + 1) + 4096;
                if (before >= 0 && used > bound) {
                    // Measured once more: the JVM's own work (class loading, deoptimisation) can land in one measurement.
                    long again = alloc.bytes();
                    Btf.parse(input);
                    long second = alloc.bytes() - again;
                    assertTrue(second <= bound, () -> "case " + i + ": parsing " + input.length + " bytes allocated " + used
                            + ", then " + second);
                }
                parsed++;
                exercise(btf);
                // Re-encoded, the types take exactly the type section they were read from: none reached past it.
                int typeLen = ByteBuffer.wrap(input).order(btf.byteOrder()).getInt(12);
                int again = ByteBuffer.wrap(BtfBuilder.from(btf).marshal()).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
                assertEquals(typeLen, again, "type section length after re-encoding");
                typesExercised += btf.typeCount();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(what + " case " + i + " (seed " + SEED + ", replay with -Dbpf4j.btf.fuzz.case=" + i
                        + "): " + e + "\ninput: " + Arrays.toString(input), e);
            } finally {
                long took = System.nanoTime() - start;
                assertTrue(took < CASE_LIMIT_NS, what + " case " + i + " took " + took / 1_000_000 + " ms");
            }
        }

        String summary() {
            return parsed + " parsed (" + typesExercised + " types exercised), " + rejected + " refused for "
                    + reasons.size() + " reasons";
        }
    }

    /** The message without numbers: one entry per kind of problem. */
    private static String reason(String message) {
        String m = message.replaceFirst("^bad BTF: (type \\[\\d+\\] )?(at byte \\d+: )?", "");
        return m.replaceAll("-?\\d+|0x[0-9a-f]+", "N").replaceAll("'[^']*'", "'S'");
    }

    /** Everything a user can do with parsed BTF; only documented exceptions may come out. */
    private static void exercise(Btf btf) {
        List<BtfType> types = new ArrayList<>();
        for (int i = 0; i < btf.typeCount(); i++) {
            final int id = i;
            BtfType t = btf.type(id);
            assertEquals(id, t.id());
            assertEquals(t.kind(), btf.kind(id));
            assertEquals(t.name(), btf.name(id));
            types.add(t);
            BtfDump.raw(btf, id);
            documented(() -> BtfDump.c(btf, id));
            documented(() -> btf.resolve(id));
            documented(() -> btf.sizeOf(id));
            documented(() -> btf.alignOf(id));
            if (!t.name().isEmpty()) {
                int[] ids = btf.ids(t.name());
                assertTrue(Arrays.stream(ids).anyMatch(x -> x == id), "lookup of '" + t.name() + "' misses " + id);
            }
        }
        byte[] again = BtfBuilder.from(btf).marshal();
        Btf back = Btf.parse(again);
        assertEquals(types.subList(1, types.size()), back.types().collect(Collectors.toList()));
        assertArrayEquals(again, BtfBuilder.from(back).marshal());
    }

    private static void documented(Runnable r) {
        try {
            r.run();
        } catch (BtfFormatException e) {
            // malformed references: documented
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m == null || !(m.contains("has no size") || m.contains("has no alignment"))) throw e;
        }
    }

    /** Bytes allocated by this thread, through com.sun.management reached reflectively; -1 when unknown. */
    private static final class Allocation {
        private final Object mx;
        private final Method allocated;

        private Allocation(Object mx, Method allocated) {
            this.mx = mx;
            this.allocated = allocated;
        }

        static Allocation create() {
            try {
                Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
                Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
                if (!sun.isInstance(mx)) return new Allocation(null, null);
                sun.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(mx, true);
                return new Allocation(mx, sun.getMethod("getThreadAllocatedBytes", long.class));
            } catch (ReflectiveOperationException e) {
                return new Allocation(null, null);
            }
        }

        /** A control: when the counter is there, it sees a 64 KiB array. */
        void checkItCounts() {
            long before = bytes();
            byte[] big = new byte[1 << 16];
            long after = bytes();
            assertTrue(before < 0 || after - before >= big.length, "the allocation counter misses a 64 KiB array");
        }

        long bytes() {
            if (mx == null) return -1;
            try {
                return (Long) allocated.invoke(mx, Thread.currentThread().getId());
            } catch (ReflectiveOperationException e) {
                return -1;
            }
        }
    }
}
