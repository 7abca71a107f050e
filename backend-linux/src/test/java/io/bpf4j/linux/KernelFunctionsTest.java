package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.api.btf.KernelFunctions;
import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.KernelBtf;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.io.ByteArrayOutputStream;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attach targets by name on the real kernel: the ids agree with an independent reader of
 * vmlinux's BTF (test-support's), an iterator resolved by name loads, attaches and produces
 * output, and fentry resolves but is refused where the kernel refuses trampolines, with the
 * capability report's reason.
 */
@ExtendWith(LeakCheck.class)
class KernelFunctionsTest {
    private static LinuxBpf bpf;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(RealKernel::require);
        if (skip != null) return;
        bpf = RealKernel.open();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    @Test
    void aMapIteratorByNameRuns() throws Exception {
        Need.kernelHas(LinkType.ITER);
        int marker = 0x5a5a1234;
        long[] insns = {
            Insn.word(0x79, 6, Insn.R1, 0, 0),   // r6 = ctx->meta
            Insn.word(0x79, 7, Insn.R1, 8, 0),   // r7 = ctx->map
            Insn.jeq(7, 0, 6),                   // the final call has no map
            Insn.word(0x79, Insn.R1, 6, 0, 0),   // r1 = meta->seq
            Insn.stw(Insn.R10, -4, marker),
            Insn.mov64Reg(Insn.R2, Insn.R10),
            Insn.add64(Insn.R2, -4),
            Insn.mov64(Insn.R3, 4),
            Insn.call(127),                      // bpf_seq_write(seq, fp-4, 4)
            Insn.mov64(Insn.R0, 0),
            Insn.exit(),
        };
        int m = bpf.mapCreate(io.bpf4j.api.MapSpec.of(io.bpf4j.api.MapType.ARRAY, 4, 4, 1));
        try (KernelFunctions.Target t = KernelFunctions.resolve(bpf, AttachType.TRACE_ITER, "bpf_map")) {
            assertEquals("bpf_iter_bpf_map", t.btfName());
            assertEquals(KernelBtf.vmlinux().id(KernelBtf.Kind.FUNC, "bpf_iter_bpf_map"), t.btfId());
            assertNull(t.module());
            assertEquals(0, t.btfObjFd());
            int p = bpf.progLoad(t.applyTo(ProgramSpec.of(ProgramType.TRACING, insns, "GPL"))).fd();
            int link = bpf.linkCreate(new LinkSpec(p, 0, AttachType.TRACE_ITER, 0, LinkOptions.Iter.NONE));
            try {
                assertEquals(new LinkDetails.Iter("bpf_map", 0), bpf.linkGetInfo(link).details());
                int it = bpf.iterCreate(link, 0);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    byte[] buf = new byte[64];
                    for (int n; (n = bpf.read(it, buf, 0, buf.length)) > 0; ) out.write(buf, 0, n);
                } finally {
                    bpf.closeFd(it);
                }
                byte[] all = out.toByteArray();
                // At least our map; one record per map.
                assertTrue(all.length >= 4 && all.length % 4 == 0, "read " + all.length + " bytes");
                for (int i = 0; i < all.length; i += 4) assertEquals(marker, MapCommandsTest.u32(all, i));
            } finally {
                bpf.closeFd(link);
                bpf.closeFd(p);
            }
        } finally {
            bpf.closeFd(m);
        }
    }

    @Test
    void fentryByNameResolvesAndTheReportSaysWhetherItLoads() throws Exception {
        long[] ret0 = {Insn.mov64(Insn.R0, 0), Insn.exit()};
        try (KernelFunctions.Target t = KernelFunctions.resolve(bpf, AttachType.TRACE_FENTRY, "bpf_fentry_test1")) {
            assertEquals(KernelBtf.vmlinux().id(KernelBtf.Kind.FUNC, "bpf_fentry_test1"), t.btfId());
            assertEquals(t.btfId(), KernelFunctions.vmlinuxId(AttachType.TRACE_FENTRY, "bpf_fentry_test1").orElseThrow());
            ProgramSpec spec = t.applyTo(ProgramSpec.of(ProgramType.TRACING, ret0, "GPL"));
            assertEquals(AttachType.TRACE_FENTRY, spec.expectedAttachType());
            Support s = bpf.capabilities().attachType(AttachType.TRACE_FENTRY);
            if (ExpectedKernel.lacks(AttachType.TRACE_FENTRY)) {
                assertFalse(s.supported());
                assertTrue(s.reason().contains("EPERM") && s.reason().contains("trampoline"), s.reason());
                BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> bpf.progLoad(spec));
                assertEquals(s.reason(), e.reason());
            } else {
                assertTrue(s.supported(), s.reason());
                bpf.closeFd(bpf.progLoad(spec).fd());
            }
        }
    }

    @Test
    void btfTracepointsAndLsmHooksUseTheKernelsPrefixes() throws Exception {
        try (KernelFunctions.Target t = KernelFunctions.resolve(bpf, AttachType.TRACE_RAW_TP, "sched_switch")) {
            assertEquals("btf_trace_sched_switch", t.btfName());
            assertEquals(KernelBtf.vmlinux().id(KernelBtf.Kind.TYPEDEF, "btf_trace_sched_switch"), t.btfId());
        }
        assertEquals("bpf_lsm_file_open", KernelFunctions.btfName(AttachType.LSM_MAC, "file_open"));
    }

    @Test
    void unknownNamesAndTypesAreRefused() {
        NoSuchElementException none = assertThrows(NoSuchElementException.class,
                () -> KernelFunctions.resolve(bpf, AttachType.TRACE_FENTRY, "no_such_function_in_any_kernel"));
        assertTrue(none.getMessage().contains("\"no_such_function_in_any_kernel\""), none.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> KernelFunctions.resolve(bpf, AttachType.XDP, "x"));
        assertTrue(type.getMessage().startsWith("type: XDP"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelFunctions.resolve(bpf, AttachType.TRACE_ITER, ""));
    }
}
