package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.ProgramType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
        Random r = new Random(seed);
        Minimized m = new Minimized("packet-diff", KnownPacketDifferences.LIST);
        Ran ran = new Ran();
        for (int i = 0; i < PROGRAMS; i++) {
            byte[] frame = PacketCalls.frame(r, 5000);
            List<PacketCalls.Call> calls = new ArrayList<>();
            for (int n = 1 + r.nextInt(5); n > 0; n--) calls.add(PacketCalls.randomXdp(r, frame.length));
            String name = "XDP program " + i + " of seed " + seed;
            ran.count(m.check(calls, c -> PacketCalls.scenario(name, ProgramType.XDP, frame, c)), frame.length);
        }
        m.finish("XDP seed " + seed);
        ran.assertNotVacuous();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void socketFilterPrograms(long seed) {
        Random r = new Random(seed);
        Minimized m = new Minimized("packet-diff", KnownPacketDifferences.LIST);
        Ran ran = new Ran();
        for (int i = 0; i < PROGRAMS / 2; i++) {
            byte[] frame = PacketCalls.frame(r, 3712);
            List<PacketCalls.Call> calls = new ArrayList<>();
            for (int n = 1 + r.nextInt(4); n > 0; n--) calls.add(PacketCalls.randomSocketFilter(r, frame.length - 14));
            String name = "socket filter program " + i + " of seed " + seed;
            ran.count(m.check(calls, c -> PacketCalls.scenario(name, ProgramType.SOCKET_FILTER, frame, c)), frame.length);
        }
        m.finish("socket filter seed " + seed);
        System.out.println("[packet-diff] " + ran.ran + " of " + ran.runs + " kernel runs ran");
        assertTrue(ran.ran * 2 > ran.runs, "most test runs must run on the kernel");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tcPrograms(long seed) {
        Random r = new Random(seed);
        Minimized m = new Minimized("packet-diff", KnownPacketDifferences.LIST);
        Ran ran = new Ran();
        for (int i = 0; i < PROGRAMS; i++) {
            byte[] frame = PacketCalls.frame(r, 3712);
            List<PacketCalls.Call> calls = new ArrayList<>();
            for (int n = 1 + r.nextInt(5); n > 0; n--) calls.add(PacketCalls.randomTc(r, frame.length));
            String name = "tc program " + i + " of seed " + seed;
            ran.count(m.check(calls, c -> PacketCalls.scenario(name, ProgramType.SCHED_CLS, frame, c)), frame.length);
        }
        m.finish("tc seed " + seed);
        ran.assertNotVacuous();
    }
}
