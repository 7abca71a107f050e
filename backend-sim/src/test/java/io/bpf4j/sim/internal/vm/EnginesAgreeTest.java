package io.bpf4j.sim.internal.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.TextAssembler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The compiled engine against the interpreter, its reference: random programs of every ALU,
 * jump, load, store and atomic instruction, with faults (accesses outside the stack or context,
 * a legacy load without a packet), loops that run out of small instruction budgets, helper calls
 * bpf-to-bpf calls (recursive ones run out of frames) and early exits, run on both; the result, the instruction count, the exception with its
 * message, and the context (where each program leaves its registers) must be identical.
 * Seeded: {@code -Dbpf4j.engines.seed=N} replays one seed.
 */
class EnginesAgreeTest {
    private static final int PROGRAMS = Integer.getInteger("bpf4j.engines.count", 3000);

    @Test
    void theCompiledEngineIsThereFromJdk24() {
        // Decided by the JDK, not by the code under test.
        boolean expected = Runtime.version().feature() >= 24;
        assertEquals(expected, Engine.compiledAvailable(), String.valueOf(Engine.compiledUnavailableReason()));
    }

    @Test
    void thePropertyChoosesTheEngine() {
        String asked = System.getProperty(Engine.PROPERTY);
        String expected = asked != null ? asked : Runtime.version().feature() >= 24 ? "compiled" : "interpreter";
        assertEquals(expected, Engine.current().name());
        assertEquals(expected, new Vm().engine.name());
        System.out.println("[engines] this JVM runs programs on the " + Engine.current().name() + " engine");
        assertEquals("interpreter", Engine.choose("interpreter").name());
        assertThrows(IllegalArgumentException.class, () -> Engine.choose("jit"));
    }

    @Test
    void randomProgramsRunAlikeOnBothEngines() {
        Engine compiled = Engine.compiled();
        long seed = Long.getLong("bpf4j.engines.seed", 20261203L);
        Random rnd = new Random(seed);
        int loaded = 0;
        int faults = 0;
        int budgets = 0;
        int deep = 0;
        int compiledCount = 0;
        Set<String> distinct = new HashSet<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < PROGRAMS; i++) {
            long[] insns = ProgramGen.generate(rnd);
            long budget = 50 + rnd.nextInt(3000);
            VmProgram p;
            try {
                p = new VmLoader().allowOutOfRangeShifts(true).name("p" + i).load(insns);
            } catch (VmLoadException e) {
                continue;
            }
            loaded++;
            String a = outcome(Engine.INTERPRETER, p, budget);
            String b = outcome(compiled, p, budget);
            if (Engine.compiledAvailable() && Engine.fallbackReason(p) == null) {
                compiledCount++;
            }
            if (!a.equals(b)) {
                failures.add("program " + i + " " + HexFormat.of().formatHex(longsToBytes(insns)) + "\n  interpreter: " + a
                        + "\n  compiled:    " + b);
            }
            distinct.add(a);
            if (a.startsWith("fault")) {
                faults++;
                if (a.contains("budget")) {
                    budgets++;
                }
                if (a.contains("frames is too deep")) {
                    deep++;
                }
            }
        }
        String summary = loaded + " of " + PROGRAMS + " loaded, " + compiledCount + " compiled, " + faults + " faulted ("
                + budgets + " out of budget, " + deep + " out of frames), " + distinct.size() + " distinct outcomes";
        System.out.println("[engines seed " + seed + "] " + summary);
        assertTrue(failures.isEmpty(), failures.size() + " program(s) differ (" + summary + ")\n"
                + String.join("\n", failures.subList(0, Math.min(3, failures.size()))));
        // Guards against a vacuous pass: most programs load, both faults and budgets happen, and
        // results differ from program to program; every loaded program takes the compiled path.
        assertTrue(loaded > PROGRAMS * 7 / 10, summary);
        assertTrue(faults > loaded / 20 && budgets > loaded / 50 && deep > loaded / 300, summary);
        assertTrue(distinct.size() > loaded * 8 / 10, summary);
        if (Runtime.version().feature() >= 24) {
            assertEquals(loaded, compiledCount, summary);
        }
    }

    @Test
    void aProgramTooLargeForOneMethodRunsOnTheInterpreter() {
        // 3000 loads and stores with a jump over them: past HotSpot's method size and past the
        // reach of a short branch, which makes the class file API build the code twice.
        List<Long> insns = new ArrayList<>();
        insns.add(ProgramGen.insn(0xb7, 0, 0, 0, 7));
        insns.add(ProgramGen.insn(0x15, 0, 0, 3000, 8));
        for (int i = 0; i < 1500; i++) {
            insns.add(ProgramGen.insn(0x79, 1, 10, -8, 0));
            insns.add(ProgramGen.insn(0x07, 0, 0, 0, 1));
        }
        insns.add(ProgramGen.insn(0x95, 0, 0, 0, 0));
        VmProgram p = new VmLoader().load(insns.stream().mapToLong(Long::longValue).toArray());
        if (Runtime.version().feature() >= 24) {
            assertTrue(Engine.fallbackReason(p).contains("HotSpot"), Engine.fallbackReason(p));
        }
        assertEquals(outcome(Engine.INTERPRETER, p, 100_000), outcome(Engine.compiled(), p, 100_000));
        assertTrue(outcome(Engine.compiled(), p, 100_000).startsWith("r0 5e3 after 3003"), outcome(Engine.compiled(), p, 100_000));
    }

    @Test
    void legacyPacketLoadsReadBigEndianAndEndTheRunOutsideThePacket() {
        byte[] packet = new byte[64];
        for (int i = 0; i < packet.length; i++) {
            packet[i] = (byte) i;
        }
        // r0 = pkt[14] + be16 at 2 + 2 = 14 + 0x0405 = 1043 (ldabsb, ldindh): exits with it when
        // it equals the constant; else loads a word past the packet's end, which returns 0.
        for (int expect : new int[] {1043, 0x1010}) {
            long[] insns = {
                ProgramGen.insn(0xb7, 6, 0, 0, 2), ProgramGen.insn(0x30, 0, 0, 0, 14), ProgramGen.insn(0xbf, 7, 0, 0, 0),
                ProgramGen.insn(0x48, 0, 6, 0, 2), ProgramGen.insn(0x0f, 0, 7, 0, 0),
                ProgramGen.insn(0x15, 0, 0, 1, expect), ProgramGen.insn(0x20, 0, 0, 0, 1000),
                ProgramGen.insn(0x95, 0, 0, 0, 0)};
            VmProgram p = new VmLoader().load(insns);
            List<String> seen = new ArrayList<>();
            for (Engine engine : new Engine[] {Engine.INTERPRETER, Engine.compiled()}) {
                Vm vm = new Vm();
                vm.engine = engine;
                long r0 = vm.run(p, vm.packetContext(new byte[192], VmPacket.of(packet, 64, 320), PacketLayout.SKB));
                seen.add(r0 + " after " + vm.instructionCount());
            }
            String want = (expect == 1043 ? "1043" : "0") + " after 7";
            assertEquals(List.of(want, want), seen);
            if (Runtime.version().feature() >= 24) {
                assertNull(Engine.fallbackReason(p));
            }
        }
    }

    @Test
    void aStopOrATailCallInsideASubprogramActsAsOnTheInterpreter() {
        // Helper 9000 stops the run with 77 when r1 is 1, else returns r1.
        HelperTable helpers = HelperTable.linux().with(9000, (vm, r1, r2, r3, r4, r5) -> {
            if (r1 == 1) {
                vm.stop(77);
            }
            return r1;
        });
        TestMaps.Progs progs = new TestMaps.Progs(1);
        progs.slots[0] = new VmLoader().load(TextAssembler.assemble("mov %r0, 5\nexit"));
        MapResolver maps = TestMaps.fds(progs);
        for (String sub : new String[] {"mov %r1, 1\ncall 9000", "mov %r1, 2\ncall 9000",
                "mov %r6, %r1\nldmapfd %r2, 100\nmov %r3, 0\ncall 12"}) {
            // main: r6 = 40; call sub; r0 += r6; exit -- the subprogram clobbers r6, which the
            // return restores; a tail call returns the target's r0 to main.
            VmProgram p = new VmLoader().helpers(helpers).maps(maps).load(TextAssembler.assemble(String.join("\n",
                    "mov %r6, 40", "call local sub", "add %r0, %r6", "exit",
                    "sub:", "mov %r6, 1000", sub, "add %r0, 100", "exit")));
            List<String> seen = new ArrayList<>();
            for (Engine engine : new Engine[] {Engine.INTERPRETER, Engine.compiled()}) {
                Vm vm = new Vm();
                vm.engine = engine;
                long r0 = vm.run(p, vm.context(new byte[8]));
                seen.add(r0 + " after " + vm.instructionCount());
            }
            assertEquals(seen.get(0), seen.get(1), sub);
            if (Runtime.version().feature() >= 24) {
                assertNull(Engine.fallbackReason(p));
            }
        }
    }

    @Test
    void theBenchmarkShapesCompile() {
        assertNull(Engine.fallbackReason(new VmLoader().load(ProgramGen.loop())));
    }

    private static String outcome(Engine engine, VmProgram p, long budget) {
        Vm vm = new Vm().instructionBudget(budget);
        vm.env().random(() -> 0x5eed).clocks(() -> 1_000, () -> 2_000);
        vm.engine = engine;
        byte[] ctx = new byte[ProgramGen.CTX];
        long r0;
        try {
            r0 = vm.run(p, vm.context(ctx));
        } catch (VmException e) {
            return "fault pc " + e.pc() + ": " + e.getMessage() + " after " + vm.instructionCount() + " ctx "
                    + HexFormat.of().formatHex(ctx);
        }
        return "r0 " + Long.toHexString(r0) + " after " + vm.instructionCount() + " ctx " + HexFormat.of().formatHex(ctx);
    }

    private static byte[] longsToBytes(long[] a) {
        byte[] out = new byte[a.length * 8];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < 8; j++) {
                out[i * 8 + j] = (byte) (a[i] >>> (8 * j));
            }
        }
        return out;
    }
}
