package io.bpf4j.it.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "Loading a C program" example, run for real: the snippet between the markers
 * below is the README's code block, line for line (the second test holds them together).
 */
@ExtendWith(LeakCheck.class)
class ObjectReadmeExampleTest {
    /** The libc call the example's tracepoint counts. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int getpid();

        int gettid();
    }

    @Test
    void theExampleCountsGetpidCalls() throws Exception {
        LinuxKernel.require();
        Need.tracefs();
        Path file = Path.of(ObjectReadmeExampleTest.class.getResource("/objects/tracepoint.o").toURI());
        int tid = LibC.INSTANCE.gettid();
        long counted;
        // README:begin
        ObjectSpec spec = ObjectSpec.open(file)                        // tracepoint.o, from tracepoint.c
                .withVariable("target_tid", tid);                      // a const volatile in .rodata
        try (Bpf bpf = Bpf.open(); BpfCollection obj = spec.load(bpf)) {
            obj.attachAll();                                           // SEC("tracepoint/syscalls/sys_enter_getpid")
            for (int i = 0; i < 3; i++) LibC.INSTANCE.getpid();
            long hits = obj.variable("hits").getLong();                // 3: a global the program counts in
        // README:end
            counted = hits;
        }
        assertEquals(3, counted);
    }

    @Test
    void theReadmeShowsThisCode() throws Exception {
        ReadmeSnippet.assertReadmeShows(ObjectReadmeExampleTest.class);
    }
}
