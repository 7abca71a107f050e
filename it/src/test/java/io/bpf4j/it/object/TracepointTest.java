package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.sim.SimBpf;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * tracepoint.o: a program attached by its section name alone
 * ({@code tracepoint/syscalls/sys_enter_getpid}) counts the getpid() calls of one thread, named
 * in {@code .rodata} before load. On the kernel this thread calls getpid() through libc; in the
 * simulator the tracepoint is fired for the simulated task, which is this process.
 */
@ExtendWith(LeakCheck.class)
class TracepointTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void attachedBySectionItCountsTheTargetsCalls(String backend) {
        if (backend.equals("linux")) Need.tracefs();
        try (Bpf bpf = Corpus.open(backend)) {
            int self = bpf instanceof SimBpf ? (int) ProcessHandle.current().pid() : LibC.INSTANCE.gettid();
            assertEquals(List.of(5L, 0L), List.of(count(bpf, self, 5), count(bpf, self + 1, 5)),
                    "five calls of the target counted; none when another thread is the target");
        }
    }

    private static long count(Bpf bpf, int target, int calls) {
        try (BpfCollection obj = Corpus.spec("tracepoint.o").withVariable("target_tid", target).load(bpf)) {
            List<BpfLink> links = obj.attachAll();
            assertEquals(1, links.size());
            assertEquals(LinkType.PERF_EVENT, links.get(0).info().type());
            for (int i = 0; i < calls; i++) getpid(bpf);
            long hits = obj.variable("hits").getLong();
            links.get(0).close();
            getpid(bpf);
            assertEquals(hits, obj.variable("hits").getLong(), "nothing counted once the link is closed");
            return hits;
        }
    }

    private static void getpid(Bpf bpf) {
        if (bpf instanceof SimBpf sim) {
            sim.hooks().tracepoint("syscalls", "sys_enter_getpid", new byte[16]);
        } else {
            LibC.INSTANCE.getpid();
        }
    }
}
