package io.bpf4j.it.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.typed.Codecs;
import io.bpf4j.api.typed.TypedMap;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's first example, on the kernel: a typed hash map written and read back. */
@ExtendWith(LeakCheck.class)
class MainReadmeExampleTest {
    @Test
    void theFirstExampleWorks() {
        Need.linux();
        Need.root();
        Need.bpffs();
        Long n;
        // README:begin
        try (Bpf bpf = Bpf.open();                                    // the kernel backend of this OS
             BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 1024).withName("counts"))) {
            TypedMap<Long, Long> counts = TypedMap.of(map, Codecs.u32(), Codecs.u64());  // __u32 -> __u64
            counts.put(443L, 1L);
            n = counts.get(443L);                                     // null when missing, never an exception
        // README:end
            assertEquals("linux", bpf.name());
            assertEquals(null, counts.get(80L));
        }
        assertEquals(1L, n);
    }

    @Test
    void theReadmeShowsThisCode() throws IOException {
        ReadmeSnippet.assertReadmeShows(MainReadmeExampleTest.class);
    }
}
