package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.TextAssembler;
import io.bpf4j.testsupport.Need;
import java.util.StringJoiner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConformancePluginTest {
    static String hex(long[] words) {
        return ConformanceData.hex(words);
    }

    /**
     * The machine decides whether a backend must work here, not the provider under test: the
     * simulator runs anywhere, the kernel needs Linux and root (a skip locally, a failure in CI).
     */
    static void assumeBackend(String name) {
        KernelHere.assumeBackend(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sim", "linux"})
    void runsAProgramAndPrintsR0InHex(String backend) {
        assumeBackend(backend);
        // add.data of the conformance suite: 0 + 1 + 2, doubled, minus 3
        long[] prog = TextAssembler.assemble("""
                mov32 %r0, 0
                mov32 %r1, 2
                add32 %r0, 1
                add32 %r0, %r1
                add32 %r0, %r0
                add32 %r0, -3
                exit
                """);
        ProbeCommandTest.Run r = ProbeCommandTest.run("conformance-plugin", "--backend", backend, "--program", hex(prog));
        assertEquals(0, r.code(), r.err());
        assertEquals("3\n", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sim", "linux"})
    void readsTheMemoryArgumentThroughTheXdpContext(String backend) {
        assumeBackend(backend);
        // The runner's XDP prolog turns xdp_md into (data, length); check the length against the kernel's bounds rule.
        long[] prog = TextAssembler.assemble("""
                ldxw %r2, [%r1+4]
                ldxw %r1, [%r1]
                mov %r3, %r1
                add %r3, 16
                jgt %r3, %r2, out
                ldxw %r0, [%r1+12]
                exit
                out:
                mov %r0, 0
                exit
                """);
        String memory = "00 01 02 03 04 05 06 07 08 09 0a 0b ef be ad de";
        ProbeCommandTest.Run r = ProbeCommandTest.run("conformance-plugin", "--backend", backend, "--program", hex(prog), memory);
        assertEquals(0, r.code(), r.err());
        assertEquals("deadbeef\n", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sim", "linux"})
    void aRejectedProgramExitsNonZeroWithTheReason(String backend) {
        assumeBackend(backend);
        long[] noExit = TextAssembler.assemble("mov %r0, 1\n");
        ProbeCommandTest.Run r = ProbeCommandTest.run("conformance-plugin", "--backend", backend, "--debug", "--program", hex(noExit));
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith("Failed to load or run program"), r.out());
    }

    @org.junit.jupiter.api.Test
    void badHexIsAUsageError() {
        ProbeCommandTest.Run r = ProbeCommandTest.run("conformance-plugin", "--backend", "sim", "--program", "b7 00 zz");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\"zz\" at byte 2"), r.err());
    }
}
