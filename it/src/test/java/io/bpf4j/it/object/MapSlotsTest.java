package io.bpf4j.it.object;

import static io.bpf4j.it.object.Corpus.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * map_slots.o: the elements the object initialises are in place after load (an array of maps
 * holding its two inner maps, a program array holding a tail-call target), and the program
 * reaches them, on the kernel and in the simulator alike.
 */
@ExtendWith(LeakCheck.class)
class MapSlotsTest {
    static final int XDP_DROP = 1;
    static final int XDP_PASS = 2;
    static final int XDP_TX = 3;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void initialisedElementsAreThereForTheProgram(String backend) {
        try (Bpf bpf = Corpus.open(backend); BpfCollection obj = Corpus.spec("map_slots.o").load(bpf)) {
            obj.map("inner_a").put(u32(0), u32(11));
            obj.map("inner_b").put(u32(0), u32(22));
            BpfProgram entry = obj.program("entry");
            obj.variable("pick").setLong(1);
            obj.variable("jump_to").setLong(1);
            assertEquals(XDP_DROP, entry.testRun(TestRunSpec.ofData(new byte[64])).retval(), "tail call to jumps[1], tail_drop");
            assertEquals(22, obj.variable("seen").getLong(), "outer[1] is inner_b");
            obj.variable("pick").setLong(0);
            obj.variable("jump_to").setLong(2);
            assertEquals(XDP_PASS, entry.testRun(TestRunSpec.ofData(new byte[64])).retval(), "jumps[2] is empty: no tail call");
            assertEquals(11, obj.variable("seen").getLong(), "outer[0] is inner_a");

            obj.map("jumps").put(u32(2), u32(obj.program("tail_tx").fd()));
            assertEquals(XDP_TX, entry.testRun(TestRunSpec.ofData(new byte[64])).retval(), "jumps[2] set from Java");
            assertEquals(101, obj.variable("tail_runs").getLong());
        }
    }
}
