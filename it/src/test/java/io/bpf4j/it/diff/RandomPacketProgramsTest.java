package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random XDP and tc programs of packet helper calls with random arguments (head, tail and
 * metadata adjustment, byte loads and stores, checksum replacement, skb resizing, VLAN tags,
 * redirect), test-run on random frames of random sizes (multi-buffer XDP frames included), on
 * the kernel and on the simulator: the return value, the packet out, each call's {@code r0} and
 * the tc context fields read after the calls must agree. A diverging program is minimised (its
 * calls dropped one at a time while it still diverges). Replay with {@code -Dbpf4j.diff.seed=N}.
 */
class RandomPacketProgramsTest {
    private static final int PROGRAMS = Integer.getInteger("bpf4j.diff.programs", 40);

    /**
     * Guards against a vacuous pass: most kernel test runs must run (not be refused), and a fair
     * share must change the packet's length.
     */
    static final class Ran {
        int runs;
        int ran;
        int resized;

        void count(Report r, int frameLen) {
            runs++;
            String out = r.linux(3);
            if (!out.startsWith("retval=")) return;
            ran++;
            if (!out.startsWith("retval=" + out.substring(7, out.indexOf(' ')) + " size=" + frameLen + " ")) resized++;
        }

        void assertNotVacuous() {
            System.out.println("[packet-diff] " + ran + " of " + runs + " kernel runs ran, " + resized + " resized the packet");
            assertTrue(ran * 2 > runs, "most test runs must run on the kernel");
            assertTrue(resized * 10 > runs, "a tenth of the runs must resize the packet");
        }
    }

    static LongStream seeds() {
        return Seeds.of(21, 22, 23, 24);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void xdpPrograms(long seed) {
        run(seed, "XDP", ProgramType.XDP, PROGRAMS, 5000, 5, PacketCalls::randomXdp, 0).assertNotVacuous();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void socketFilterPrograms(long seed) {
        Ran ran = run(seed, "socket filter", ProgramType.SOCKET_FILTER, PROGRAMS / 2, 3712, 4, PacketCalls::randomSocketFilter, 14);
        System.out.println("[packet-diff] " + ran.ran + " of " + ran.runs + " kernel runs ran");
        assertTrue(ran.ran * 2 > ran.runs, "most test runs must run on the kernel");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tcPrograms(long seed) {
        run(seed, "tc", ProgramType.SCHED_CLS, PROGRAMS, 3712, 5, PacketCalls::randomTc, 0).assertNotVacuous();
    }

    /**
     * Compares {@code programs} random programs of {@code type} on random frames of up to
     * {@code maxFrame} bytes, each of 1 to {@code maxCalls} calls drawn by {@code calls} for the
     * bytes the program sees (the frame less {@code hidden} bytes of header), and reports them
     * under {@code label}.
     */
    private static Ran run(long seed, String label, ProgramType type, int programs, int maxFrame, int maxCalls,
            BiFunction<Random, Integer, PacketCalls.Call> calls, int hidden) {
        Random r = new Random(seed);
        Minimized m = new Minimized("packet-diff", KnownPacketDifferences.LIST);
        Ran ran = new Ran();
        for (int i = 0; i < programs; i++) {
            byte[] frame = PacketCalls.frame(r, maxFrame);
            List<PacketCalls.Call> list = new ArrayList<>();
            for (int n = 1 + r.nextInt(maxCalls); n > 0; n--) list.add(calls.apply(r, frame.length - hidden));
            String name = label + " program " + i + " of seed " + seed;
            ran.count(m.check(list, c -> PacketCalls.scenario(name, type, frame, c)), frame.length);
        }
        m.finish(label + " seed " + seed);
        return ran;
    }
}
