package io.bpf4j.it.suite;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TestRunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random bad input on every backend: sizes, descriptors (live, closed and since reused,
 * never opened), flags, enums, names, pin paths and instruction words. A call may succeed or
 * throw what the API documents ({@link IllegalArgumentException} or a {@link NullPointerException}
 * naming a parameter, {@link BpfException} and its subclasses); anything else, a JVM crash, or a
 * descriptor left open fails the run.
 *
 * <p>The seed is printed first; {@code -Dbpf4j.fuzz.seed=S} replays a run and
 * {@code -Dbpf4j.fuzz.calls=N} sets its length (default 100,000 per backend). Hooks are left
 * alone: attaching random programs to the machine's own interfaces and cgroups is not a test of
 * input rules.
 */
abstract class BadInputFuzz extends SuiteBase {
    private static final int[] SIZES = {0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 64, 4096, 65536, 1 << 20,
        Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -8};
    private static final long[] FLAGS = {0, 1, 2, 3, 4, 7, 8, 0x10, 0x400, 1L << 31, -1L, 1L << 40, Long.MIN_VALUE};

    private final List<Integer> live = new ArrayList<>();
    private final List<Integer> closed = new ArrayList<>();
    private SplittableRandom r;
    private String current;

    /** Numbers this backend never handed out, and other such harmless descriptors; may be empty. */
    int[] foreignDescriptors() {
        return new int[] {-1, 0, 1, 2, 100_000, Integer.MAX_VALUE};
    }

    /** Called once the fuzzer has closed everything it opened: fail on what leaked. */
    void checkNothingLeaked() {
    }

    @Test
    void randomBadInputNeverCrashesLeaksOrThrowsSomethingUndocumented() {
        long seed = Long.getLong("bpf4j.fuzz.seed", System.nanoTime());
        int calls = Integer.getInteger("bpf4j.fuzz.calls", 100_000);
        System.out.println("bad-input fuzz on " + bpf.name() + ": seed " + seed + " (replay with -Dbpf4j.fuzz.seed="
                + seed + ")");
        r = new SplittableRandom(seed);
        String pins = pinDir();
        long accepted = 0;
        long rejected = 0;
        long deadline = System.nanoTime() + 240_000_000_000L;
        int done = 0;
        try {
            for (; done < calls; done++) {
                if ((done & 1023) == 0 && System.nanoTime() > deadline) break;
                try {
                    step(pins);
                    accepted++;
                } catch (IllegalArgumentException | BpfException e) {
                    rejected++;
                } catch (NullPointerException e) {
                    if (e.getMessage() == null) throw new AssertionError(where(seed, done) + " NPE names no parameter", e);
                    rejected++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(where(seed, done) + " threw " + e.getClass().getName(), e);
                }
                if (live.size() > 64) closeOne();
            }
        } finally {
            while (!live.isEmpty()) closeOne();
            for (String p : pinned) {
                try {
                    unpin(p);
                } catch (RuntimeException ignored) {
                    // a pin the kernel refused never existed
                }
            }
        }
        System.out.println("bad-input fuzz on " + bpf.name() + ": " + done + " calls, " + accepted + " accepted, "
                + rejected + " rejected as documented, seed " + seed);
        assertTrue(done >= Math.min(calls, 100_000), "only " + done + " calls ran before the time limit");
        assertTrue(rejected > done / 4 && accepted > done / 100,
                "the calls were not a mix of good and bad: " + accepted + " accepted, " + rejected + " rejected");
        checkNothingLeaked();
    }

    private String where(long seed, int call) {
        return "seed " + seed + ", call " + call + " (" + current + "):";
    }

    private final List<String> pinned = new ArrayList<>();

    private void closeOne() {
        int fd = live.remove(live.size() - 1);
        bpf.closeFd(fd);
        closed.add(fd);
    }

    private int size() {
        return r.nextInt(4) == 0 ? r.nextInt(-4, 300) : SIZES[r.nextInt(SIZES.length)];
    }

    /**
     * A capacity, random but for one rule: what the kernel would allocate up front stays under
     * 4 MiB (with 64 live objects at most, 256 MiB). The kernel allocates a per-CPU array of
     * 2^31 entries rather than refuse it, and a fuzzer that wakes the OOM killer tests nothing.
     */
    private int maxEntries(MapType t, int keySize, int valueSize) {
        int n = size();
        if (n <= 0) return n;
        long perEntry = t == MapType.RINGBUF || t == MapType.USER_RINGBUF ? 1 : keySize + (long) valueSize + 64;
        if (t.isPerCpu()) perEntry *= Math.max(1, bpf.possibleCpus());
        return n * perEntry <= 4L << 20 ? n : 1 + r.nextInt((int) Math.max(1, (4L << 20) / perEntry / 16));
    }

    private long flags() {
        return r.nextInt(3) == 0 ? r.nextLong() : FLAGS[r.nextInt(FLAGS.length)];
    }

    private int fd() {
        switch (r.nextInt(4)) {
            case 0:
                if (!closed.isEmpty()) return closed.get(r.nextInt(closed.size()));
                // fall through
            case 1:
                int[] f = foreignDescriptors();
                if (f.length > 0) return f[r.nextInt(f.length)];
                // fall through
            default:
                return live.isEmpty() ? r.nextInt(-2, 64) : live.get(r.nextInt(live.size()));
        }
    }

    private byte[] bytes() {
        int n = r.nextInt(6) == 0 ? -1 : Math.floorMod(size(), 70_000);
        if (n < 0) return null;
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private String name() {
        switch (r.nextInt(6)) {
            case 0:
                return "";
            case 1:
                return "a.b";
            case 2:
                return "x".repeat(r.nextInt(14, 40));
            case 3:
                return "n\0ul";
            case 4:
                return "été";
            default:
                return "f" + r.nextInt(1000);
        }
    }

    private String path(String pins) {
        switch (r.nextInt(8)) {
            case 0:
                return "";
            case 1:
                return pins + "/has\0nul";
            case 2:
                return pins + "/dotted.name";
            case 3:
                return pins + "/../" + name();
            case 4:
                return pins + "/" + "p".repeat(r.nextInt(200, 5000));
            case 5:
                return "relative/" + r.nextInt(100);
            default:
                return pins + "/p" + r.nextInt(1_000_000);
        }
    }

    private <E extends Enum<E>> E pick(E[] values) {
        return values[r.nextInt(values.length)];
    }

    private long[] insns() {
        int n = r.nextInt(5) == 0 ? r.nextInt(1, 300) : r.nextInt(1, 6);
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            // Mostly real opcodes with random operands, sometimes pure noise, and an exit last.
            w[i] = r.nextInt(4) == 0 ? r.nextLong() : (r.nextLong() & ~0xffL) | (r.nextInt(256) & 0xff);
        }
        if (r.nextBoolean()) w[n - 1] = 0x95; // exit
        return w;
    }

    private void step(String pins) {
        switch (r.nextInt(22)) {
            case 0, 1 -> {
                MapType t = pick(MapType.values());
                int keySize = Math.abs(size() % 300);
                int valueSize = Math.abs(size() % 70_000);
                MapSpec s = new MapSpec(t, keySize, valueSize, maxEntries(t, keySize, valueSize), (int) flags(),
                        r.nextBoolean() ? "" : name(), r.nextInt(5) == 0 ? fd() : 0, 0, 0, 0, 0, 0, 0,
                        r.nextInt(4) == 0 ? flags() : 0, 0);
                current = "mapCreate " + s;
                live.add(bpf.mapCreate(s));
            }
            case 2, 3 -> {
                int fd = fd();
                current = "mapLookupElem " + fd;
                bpf.mapLookupElem(fd, bytes(), bytes(), flags());
            }
            case 4, 5 -> {
                int fd = fd();
                current = "mapUpdateElem " + fd;
                bpf.mapUpdateElem(fd, bytes(), bytes(), flags());
            }
            case 6 -> {
                int fd = fd();
                current = "mapDeleteElem " + fd;
                bpf.mapDeleteElem(fd, bytes());
            }
            case 7 -> {
                int fd = fd();
                current = "mapGetNextKey " + fd;
                bpf.mapGetNextKey(fd, bytes(), bytes());
            }
            case 8 -> {
                int fd = fd();
                current = "mapLookupAndDeleteElem " + fd;
                bpf.mapLookupAndDeleteElem(fd, bytes(), bytes(), flags());
            }
            case 9 -> {
                int fd = fd();
                int count = size();
                current = "mapLookupBatch " + fd + " count " + count;
                if (r.nextBoolean()) {
                    bpf.mapLookupBatch(fd, bytes(), bytes(), bytes(), bytes(), count, flags(), flags());
                } else {
                    bpf.mapLookupAndDeleteBatch(fd, bytes(), bytes(), bytes(), bytes(), count, flags(), flags());
                }
            }
            case 10 -> {
                int fd = fd();
                int count = size();
                current = "mapUpdateBatch/mapDeleteBatch " + fd + " count " + count;
                if (r.nextBoolean()) bpf.mapUpdateBatch(fd, bytes(), bytes(), count, flags(), flags());
                else bpf.mapDeleteBatch(fd, bytes(), count, flags(), flags());
            }
            case 11 -> {
                int fd = fd();
                current = "mapFreeze " + fd;
                bpf.mapFreeze(fd);
            }
            case 12 -> {
                int fd = fd();
                current = "getInfo " + fd;
                switch (r.nextInt(4)) {
                    case 0 -> bpf.mapGetInfo(fd);
                    case 1 -> bpf.progGetInfo(fd);
                    case 2 -> bpf.linkGetInfo(fd);
                    default -> bpf.btfGetInfo(fd);
                }
            }
            case 13, 14 -> {
                ProgramType t = pick(ProgramType.values());
                int logLevel = r.nextInt(4) == 0 ? r.nextInt(-2, 10) : 0;
                int logSize = logLevel == 0 ? 0 : size();
                current = "progLoad " + t + " log " + logLevel + "/" + logSize;
                ProgramSpec s = new ProgramSpec(t, insns(), r.nextBoolean() ? "GPL" : name(), r.nextBoolean() ? "" : name(),
                        r.nextInt(4) == 0 ? pick(AttachType.values()) : null, 0, 0, 0, (int) (flags() & 0xff), 0,
                        logLevel, logSize, 0, r.nextInt(4) == 0 ? new int[] {fd(), fd()} : null, 0);
                live.add(bpf.progLoad(s).fd());
            }
            case 15 -> {
                int fd = fd();
                TestRunSpec s = new TestRunSpec(bytes(), size(), bytes(), size(), r.nextInt(-1, 4), (int) flags(),
                        r.nextInt(-1, 3), r.nextInt(-1, 3));
                current = "progTestRun " + fd + " " + s;
                bpf.progTestRun(fd, s);
            }
            case 16 -> {
                int fd = fd();
                String p = path(pins);
                current = "objPin " + fd + " " + p.length() + " chars";
                bpf.objPin(fd, p);
                pinned.add(p);
            }
            case 17 -> {
                String p = path(pins);
                current = "objGet " + p.length() + " chars";
                live.add(bpf.objGet(p, (int) flags()));
            }
            case 18 -> {
                byte[] b = bytes();
                current = "btfLoad " + (b == null ? "null" : b.length + " bytes");
                live.add(bpf.btfLoad(b, r.nextInt(-1, 3)).fd());
            }
            case 19 -> {
                int fd = fd();
                current = "dupFd " + fd;
                live.add(bpf.dupFd(fd));
            }
            case 20 -> {
                // Only ids no object has: an id that exists may be another process' map, and the
                // fuzzer would then write random bytes into it.
                int id = r.nextBoolean() ? r.nextInt(-2, 1) : Integer.MAX_VALUE - r.nextInt(16);
                current = "getFdById " + id;
                switch (r.nextInt(4)) {
                    case 0 -> live.add(bpf.mapGetFdById(id));
                    case 1 -> live.add(bpf.progGetFdById(id));
                    case 2 -> live.add(bpf.linkGetFdById(id));
                    default -> live.add(bpf.btfGetFdById(id));
                }
            }
            default -> {
                current = "enableStats/next ids";
                if (r.nextInt(8) == 0) {
                    live.add(bpf.enableStats(pick(StatsType.values())));
                } else {
                    int id = r.nextInt(-2, 5000);
                    switch (r.nextInt(4)) {
                        case 0 -> bpf.mapGetNextId(id);
                        case 1 -> bpf.progGetNextId(id);
                        case 2 -> bpf.linkGetNextId(id);
                        default -> bpf.btfGetNextId(id);
                    }
                }
            }
        }
    }

    /** Fails the run: used by subclasses whose leak check finds something. */
    static void leaked(String what) {
        fail("bad-input fuzz leaked " + what);
    }
}
