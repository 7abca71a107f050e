package io.bpf4j.it.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfKind;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.CoreRelocator;
import io.bpf4j.api.btf.KernelBtf;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.it.btf.CoreObject.Outcome;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CO-RE-relocated programs of the corpus load and run on this kernel with the values they should
 * read. Each is a sleepable syscall program run with BPF_PROG_TEST_RUN, which runs it in the
 * calling thread and returns 32 bits: the program's context says which of its sixteen 64-bit
 * answers to return and which half.
 *
 * <p>core_kernel.o, relocated against /sys/kernel/btf/vmlinux, reads the calling thread's task:
 * its pid, tgid, parent's tgid and name must be what /proc says of that thread. core_fields.o,
 * relocated against hand-built layouts of its struct core_ctx ({@link CtxLayouts}), reads a
 * context filled as each layout puts it: moved, grown, shrunk and retyped fields and bitfields.
 * Instructions are relocated with {@link CoreRelocator} (through {@link CoreObject}) and loaded
 * with {@link Bpf#progLoad}.
 */
@ExtendWith(LeakCheck.class)
class CoreKernelTest {

    private static long[] relocated(CoreObject o, String program, Btf target) {
        Outcome r = o.relocate(target, Set.of(program));
        assertTrue(r.ok(), () -> "relocating " + program + ": " + r.failure());
        long[] insns = r.programs().get(program);
        assertNotEquals(Arrays.toString(o.instructions(program)), Arrays.toString(insns), "relocation changed nothing");
        return insns;
    }

    private static ProgramSpec syscall(long[] insns) {
        return ProgramSpec.of(ProgramType.SYSCALL, insns, "GPL").withFlags(ProgramFlags.SLEEPABLE);
    }

    /** The program's sixteen answers, given its input (up to 128 bytes) before the selector. */
    private static long[] answers(BpfProgram p, byte[] in) {
        long[] out = new long[16];
        for (int sel = 0; sel < 32; sel++) {
            ByteBuffer ctx = ByteBuffer.allocate(in.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            ctx.put(in).putInt(sel).putInt(0);
            long half = Integer.toUnsignedLong(p.testRun(new TestRunSpec(null, 0, ctx.array(), 0, 0, 0, 0, 0)).retval());
            out[sel & 15] |= (sel & 16) == 0 ? half : half << 32;
        }
        return out;
    }

    @Test
    void taskFieldsRelocatedAgainstThisKernelReadTheCallingThread() throws Exception {
        Need.kernelHas(ProgramType.SYSCALL);
        long[] insns = relocated(CoreObject.corpus("core_kernel.o"), "task_fields", KernelBtf.vmlinux());
        try (Bpf bpf = LinuxKernel.open(); BpfProgram p = BpfProgram.load(bpf, syscall(insns))) {
            // A thread of its own, so that its tid, pid and name all differ from the process'.
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    long[] got = answers(p, new byte[0]);
                    result.set(new Object[] {got, Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(),
                        Files.readString(Path.of("/proc/thread-self/comm")).strip()});
                } catch (Throwable e) {
                    result.set(e);
                }
            }, "bpf4j-core-task");
            t.start();
            t.join();
            if (result.get() instanceof Throwable e) throw new AssertionError("in the test thread", e);
            Object[] r = (Object[]) result.get();
            long[] got = (long[]) r[0];
            String[] self = ((String) r[1]).split("/"); // "<pid>/task/<tid>"
            String stat = Files.readString(Path.of("/proc/self/stat"));
            long ppid = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
            assertEquals(Long.parseLong(self[2]), got[0], "task->pid is the thread's id");
            assertEquals(Long.parseLong(self[0]), got[1], "task->tgid is the process id");
            assertNotEquals(got[0], got[1]);
            assertEquals(ppid, got[2], "task->real_parent->tgid is the parent's pid");
            byte[] comm = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(got[3]).putLong(got[4]).array();
            String name = new String(comm, StandardCharsets.UTF_8).replaceAll("\0.*", "");
            assertEquals(r[2], name, "task->comm is the thread's name");
            assertEquals(3, got[5], "PIDTYPE_SID in this kernel's enum pid_type");
            assertEquals(1, got[6], "PIDTYPE_TGID in this kernel's enum pid_type");
            assertEquals(0xdead, got[7], "a field no kernel has: its read is dead code");
            assertEquals(16, got[8], "sizeof(task->comm)");
            assertEquals(1, got[9], "struct task_struct exists");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"own", "moved", "narrow"})
    void ctxFieldsReadEachLayoutAsTheTargetPutsIt(String layout) {
        Need.kernelHas(ProgramType.SYSCALL);
        CtxLayouts.Layout l = layout.equals("own") ? CtxLayouts.own() : layout.equals("moved") ? CtxLayouts.moved() : CtxLayouts.narrow();
        CoreObject o = CoreObject.corpus("core_fields.o");
        int localId = o.btf.find("core_ctx", BtfKind.STRUCT).orElseThrow().id();
        Btf target = l.btf() == null ? o.btf : l.btf();
        long[] insns = layout.equals("own") ? o.relocate(target, Set.of("ctx_fields")).programs().get("ctx_fields")
                : relocated(o, "ctx_fields", target);
        long[] want = l.want().clone();
        want[15] = (long) (l.ctxId() == 0 ? localId : l.ctxId()) << 32 | localId;
        try (Bpf bpf = LinuxKernel.open(); BpfProgram p = BpfProgram.load(bpf, syscall(insns))) {
            assertArrayEquals(want, answers(p, l.in()), () -> "answers for layout " + layout + ": want " + hex(want) + ", got "
                    + hex(answers(p, l.in())));
        }
    }

    /** Where a layout makes a reachable load impossible (half is a bitfield there), the verifier names the poisoned call. */
    @Test
    void aReachablePoisonedLoadIsRefusedByTheVerifier() {
        Need.kernelHas(ProgramType.SYSCALL);
        CoreObject o = CoreObject.corpus("core_fields.o");
        Btf moved = CtxLayouts.moved().btf();
        BtfBuilder b = BtfBuilder.from(moved);
        int ctx = moved.find("core_ctx", BtfKind.STRUCT).orElseThrow().id();
        BtfType.Struct s = (BtfType.Struct) moved.type(ctx);
        List<BtfMember> ms = new ArrayList<>(s.members());
        ms.replaceAll(m -> m.name().equals("half") ? new BtfMember("half", m.typeId(), m.bitOffset(), 9) : m);
        b.replace(ctx, new BtfType.Struct(ctx, "core_ctx", s.size(), true, ms));
        long[] insns = relocated(o, "ctx_fields", b.build());
        try (Bpf bpf = LinuxKernel.open()) {
            VerifierException e = assertThrows(VerifierException.class, () -> bpf.progLoad(syscall(insns)));
            assertTrue(e.log().contains("invalid func unknown#" + CoreRelocator.POISON_HELPER), e.log());
        }
    }

    private static String hex(long[] v) {
        StringBuilder s = new StringBuilder("[");
        for (long x : v) s.append(s.length() > 1 ? ", " : "").append(Long.toHexString(x));
        return s.append(']').toString();
    }
}
