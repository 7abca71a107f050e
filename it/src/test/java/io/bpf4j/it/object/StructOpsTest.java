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
 * sections.o's {@code struct_ops/test_1} program: the kernel loads struct_ops programs only as
 * members of a struct_ops map, which the loader does not make yet, so the load says so naming
 * the program before asking the backend anything, on the kernel and in the simulator alike.
 */
@ExtendWith(LeakCheck.class)
class StructOpsTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void aStructOpsProgramIsRefusedSayingWhy(String backend) {
        Recording.Backend rec = Recording.of(Corpus.open(backend));
        try (Bpf bpf = rec.bpf()) {
            ObjectFormatException e = assertThrows(ObjectFormatException.class,
                    () -> Corpus.spec("sections.o").withPrograms("p_struct_ops").load(bpf).close());
            assertEquals("p_struct_ops", e.symbol());
            assertTrue(e.getMessage().contains("unsupported: struct_ops programs"), e.getMessage());
            assertEquals(0, rec.loads().size());
        }
    }
}
