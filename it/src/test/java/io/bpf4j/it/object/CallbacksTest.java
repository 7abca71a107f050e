package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.object.ObjectFormatException;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * callbacks.o: a program passing a static function to {@code bpf_loop} needs its BTF func_info
 * to be verified (Linux answers "missing btf func_info" without it), which the loader does not
 * pass yet: the load is refused naming the program, and what was made for it (the maps) is
 * closed again, on the kernel and in the simulator alike.
 */
@ExtendWith(LeakCheck.class)
class CallbacksTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void aProgramWithCallbacksIsRefusedByName(String backend) {
        try (Bpf bpf = Corpus.open(backend)) {
            ObjectFormatException e = assertThrows(ObjectFormatException.class,
                    () -> Corpus.spec("callbacks.o").load(bpf).close());
            assertEquals("loop_sum", e.symbol());
            assertTrue(e.getMessage().contains("func_info"), e.getMessage());
            assertEquals(1, Corpus.spec("callbacks.o").program("loop_sum").callbacks());
        }
    }
}
