package io.bpf4j.it.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random programs of map helper calls ({@link MapHelperCalls}) on every simulated map type
 * with every update flag, run on the kernel and on the simulator: each call's result and the
 * map's contents after the run must agree. A diverging program is minimised (calls dropped
 * while it still diverges). Replay with {@code -Dbpf4j.diff.seed=N}.
 */
class RandomMapHelpersTest {
    private static final int PROGRAMS = Integer.getInteger("bpf4j.diff.programs", 12);

    static LongStream seeds() {
        return Seeds.of(31, 32, 33);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mapHelperPrograms(long seed) {
        Random r = new Random(seed);
        Minimized m = new Minimized("map-helper-diff", List.of());
        int ran = 0;
        int total = 0;
        for (MapType t : MapHelperCalls.TYPES) {
            for (int i = 0; i < PROGRAMS; i++) {
                List<MapHelperCalls.Op> ops = new ArrayList<>();
                for (int n = 1 + r.nextInt(MapHelperCalls.SLOTS); n > 0; n--) ops.add(MapHelperCalls.random(r, t));
                String name = t + " program " + i + " of seed " + seed;
                Report rep = m.check(ops, o -> MapHelperCalls.scenario(name, t, o));
                total++;
                if (rep.linux(rep.find("test run")).equals("retval=2")) ran++;
            }
        }
        m.finish("seed " + seed);
        System.out.println("[map-helper-diff] " + ran + " of " + total + " programs loaded and ran on the kernel");
        assertTrue(ran * 10 >= total * 9, "nine in ten programs must load and run on the kernel");
    }
}
