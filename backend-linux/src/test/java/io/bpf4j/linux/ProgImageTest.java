package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Instruction;
import io.bpf4j.api.asm.Opcodes;
import io.bpf4j.api.asm.Register;
import io.bpf4j.linux.internal.sys.JnaSyscalls;
import io.bpf4j.testsupport.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A program's translated instructions and JIT image read back from the kernel, through FFM and
 * through JNA: sizes as {@code bpf_prog_info} reports them, map references as map ids.
 */
@ExtendWith(LeakCheck.class)
class ProgImageTest {
    @Test
    void imagesAreWhatTheInfoAnnouncesAndMapsAreIds() throws Exception {
        try (LinuxBpf ffm = RealKernel.open(); LinuxBpf jna = new LinuxBpf(new JnaSyscalls())) {
            assertTrue(ffm.capabilities().operation(Operation.PROG_XLATED).supported(),
                    () -> ffm.capabilities().operation(Operation.PROG_XLATED).reason());
            assertTrue(ffm.capabilities().operation(Operation.PROG_JITED).supported(),
                    () -> ffm.capabilities().operation(Operation.PROG_JITED).reason());
            int hash = ffm.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
            int array = ffm.mapCreate(MapSpec.of(MapType.ARRAY, 4, 16, 1));
            int prog = -1;
            try {
                long[] insns = new Asm().stw(Register.R10, -4, 0).mov64(Register.R2, Register.R10).add64(Register.R2, -4)
                        .ldMapFd(Register.R1, hash).call(Helper.MAP_LOOKUP_ELEM).ldMapValue(Register.R3, array, 4)
                        .mov64(Register.R0, 2).exit().toArray();
                prog = ffm.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL")).fd();
                ProgramInfo info = ffm.progGetInfo(prog);
                long[] xlated = ffm.progGetXlated(prog);
                byte[] jited = ffm.progGetJited(prog);
                assertEquals(info.xlatedSize(), xlated.length * 8);
                assertEquals(info.jitedSize(), jited.length);
                if (Files.readString(Path.of("/proc/sys/net/core/bpf_jit_enable")).strip().equals("1")) {
                    assertTrue(jited.length > 0, "the JIT is on here");
                }
                int hashId = ffm.mapGetInfo(hash).id();
                int arrayId = ffm.mapGetInfo(array).id();
                int mapRefs = 0;
                for (int pc = 0; pc < xlated.length; pc++) {
                    Instruction i = Instruction.decode(xlated[pc]);
                    if (!i.isLoadImm64()) continue;
                    Instruction next = Instruction.decode(xlated[pc + 1]);
                    if (i.src() == Opcodes.PSEUDO_MAP_FD) {
                        assertEquals(hashId, i.imm(), "a map reference holds the map's id");
                        mapRefs++;
                    } else if (i.src() == Opcodes.PSEUDO_MAP_VALUE) {
                        assertEquals(arrayId, i.imm());
                        assertEquals(4, next.imm(), "the value's offset");
                        mapRefs++;
                    }
                    pc++;
                }
                assertEquals(2, mapRefs, "both references are in the dump");
                assertArrayEquals(xlated, jna.progGetXlated(prog), "JNA reads the same instructions");
                assertArrayEquals(jited, jna.progGetJited(prog), "JNA reads the same image");
                int p = prog;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ffm.progGetXlated(-1));
                assertTrue(e.getMessage().startsWith("progFd"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> ffm.progGetJited(hash), "a map is no program");
                assertEquals(p, prog);
            } finally {
                if (prog >= 0) ffm.closeFd(prog);
                ffm.closeFd(hash);
                ffm.closeFd(array);
            }
        }
    }
}
