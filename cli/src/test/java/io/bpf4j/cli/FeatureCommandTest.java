package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.Need;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bpf4j feature probe} against {@code bpftool feature probe kernel} on this kernel: every
 * program and map type both know is reported the same, but one whose difference is explained.
 */
class FeatureCommandTest {
    @Test
    @SuppressWarnings("unchecked")
    void programAndMapTypesAgreeWithBpftool() {
        KernelHere.assumeBackend("linux");
        Need.tool("bpftool");
        CliRun r = CliRun.of("feature", "probe", "--json", "--backend", "linux");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> ours = (Map<String, Object>) MiniJson.parse(r.out());
        Map<String, Object> theirs = (Map<String, Object>) MiniJson.parse(Commands.run("bpftool", "-j", "feature", "probe", "kernel"));
        List<String> differ = new ArrayList<>();
        int compared = 0;
        for (String section : List.of("program_types", "map_types")) {
            Map<String, Object> a = (Map<String, Object>) ours.get(section);
            Map<String, Object> b = (Map<String, Object>) theirs.get(section);
            for (Map.Entry<String, Object> e : b.entrySet()) {
                if (!a.containsKey(e.getKey())) {
                    differ.add(e.getKey() + " unknown to bpf4j");
                    continue;
                }
                compared++;
                if (!a.get(e.getKey()).equals(e.getValue())) differ.add(e.getKey() + " bpf4j " + a.get(e.getKey()) + " bpftool " + e.getValue());
            }
        }
        assertTrue(compared > 50, "compared " + compared);
        // bpftool probes TRACING with an fentry program, which this kernel refuses (no trampolines);
        // bpf4j calls the type supported because it loads (iterators are TRACING programs).
        List<String> explained = ExpectedKernel.lacks(AttachType.TRACE_FENTRY)
                ? List.of("have_tracing_prog_type bpf4j true bpftool false") : List.of();
        assertEquals(explained, differ);

        CliRun text = CliRun.of("feature", "probe", "--backend", "linux");
        assertTrue(text.out().contains("eBPF program_type xdp is available\n"), text.out());
        assertTrue(text.out().contains("eBPF map_type arena is NOT available\n") || !ExpectedKernel.lacks(io.bpf4j.api.MapType.ARENA),
                text.out());
    }
}
