package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Instruction;
import io.bpf4j.api.asm.Opcodes;
import io.bpf4j.api.asm.Register;
import org.junit.jupiter.api.Test;

/** Translated instructions as the kernel dumps map references (ids, not descriptors), and no JIT image. */
class ProgImagesTest {
    @Test
    void mapReferencesBecomeIdsAndTheRestIsAsLoaded() {
        try (SimBpf sim = Simulator.builder().build()) {
            int hash = sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
            int array = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 16, 1));
            int other = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
            int hashId = sim.mapGetInfo(hash).id();
            int arrayId = sim.mapGetInfo(array).id();
            int otherId = sim.mapGetInfo(other).id();
            long[] insns = new Asm().stw(Register.R10, -4, 0).mov64(Register.R2, Register.R10).add64(Register.R2, -4)
                    .ldMapFd(Register.R1, hash).call(Helper.MAP_LOOKUP_ELEM).ldMapValue(Register.R3, array, 4)
                    .ldImm64(Register.R4, Opcodes.PSEUDO_MAP_IDX, 0, 0).mov64(Register.R0, 2).exit().toArray();
            int prog = sim.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL").withFdArray(other)).fd();
            // The program holds its maps; the descriptors in its instructions mean nothing any more.
            sim.closeFd(hash);
            sim.closeFd(array);
            sim.closeFd(other);
            long[] x = sim.progGetXlated(prog);
            assertEquals(insns.length, x.length);
            assertEquals(sim.progGetInfo(prog).xlatedSize(), x.length * 8);
            for (int pc : new int[] {0, 1, 2, 5, 10, 11}) assertEquals(insns[pc], x[pc], "pc " + pc + " as loaded");
            assertEquals(new Instruction(Opcodes.LD_IMM64, 1, Opcodes.PSEUDO_MAP_FD, 0, hashId), Instruction.decode(x[3]));
            assertEquals(new Instruction(Opcodes.LD_IMM64, 3, Opcodes.PSEUDO_MAP_VALUE, 0, arrayId), Instruction.decode(x[6]));
            assertEquals(4, Instruction.decode(x[7]).imm(), "the value's offset");
            assertEquals(new Instruction(Opcodes.LD_IMM64, 4, Opcodes.PSEUDO_MAP_FD, 0, otherId), Instruction.decode(x[8]),
                    "an fd-array reference is dumped as a map reference too");
            x[0] = 0;
            assertEquals(insns[0], sim.progGetXlated(prog)[0], "a copy each time");

            assertFalse(sim.capabilities().operation(Operation.PROG_JITED).supported());
            assertTrue(sim.capabilities().operation(Operation.PROG_XLATED).supported());
            BpfUnsupportedException u = assertThrows(BpfUnsupportedException.class, () -> sim.progGetJited(prog));
            assertEquals(sim.capabilities().operation(Operation.PROG_JITED).reason(), u.reason());
            assertTrue(u.reason().contains("no JIT"), u.reason());

            int map = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
            BpfException e = assertThrows(BpfException.class, () -> sim.progGetXlated(map));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(Operation.PROG_XLATED, e.operation());
            assertThrows(IllegalArgumentException.class, () -> sim.progGetXlated(-1));
            sim.closeFd(map);
            sim.closeFd(prog);
            assertEquals(Errno.EBADF, assertThrows(BpfException.class, () -> sim.progGetXlated(prog)).errno());
        }
    }

    @Test
    void localCallsKeepTheirTargetInOffAndNameTheirSubprogram() {
        try (SimBpf sim = Simulator.builder().build()) {
            long[] insns = new Asm().callLocal("f").exit().label("f").mov64(Register.R0, 2).exit().toArray();
            int prog = sim.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL")).fd();
            try {
                long[] x = sim.progGetXlated(prog);
                assertEquals(new Instruction(Opcodes.JMP | Opcodes.CALL, 0, Opcodes.PSEUDO_CALL, 1, 1), Instruction.decode(x[0]));
                assertEquals(insns[1], x[1]);
                try (io.bpf4j.api.BpfProgram handle = io.bpf4j.api.BpfProgram.fromId(sim, sim.progGetInfo(prog).id())) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(x, handle.xlated(), "the handle reads the same");
                    assertThrows(BpfUnsupportedException.class, handle::jited);
                }
            } finally {
                sim.closeFd(prog);
            }
        }
    }
}
