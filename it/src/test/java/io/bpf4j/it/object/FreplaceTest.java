package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.api.btf.BtfKind;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * freplace.o: an extension program replacing a global function of a loaded XDP program. The
 * target program and function come from the load options; the loader finds the function's id
 * in the target program's BTF and loads the extension with {@code attach_prog_fd} and
 * {@code attach_btf_id}. This kernel refuses the BPF trampolines extensions run through, and
 * the simulator does not model them: on both the load arrives with those attributes and the
 * refusal is the backend's reported capability, never a success.
 */
@ExtendWith(LeakCheck.class)
class FreplaceTest {

    /** pick_verdict's id in the loaded target's BTF: bpftool's on the kernel, the object's own in the simulator. */
    static int pickVerdictId(String backend, BpfProgram target, ObjectSpec spec) {
        if (backend.equals("sim")) return spec.btf().orElseThrow().find("pick_verdict", BtfKind.FUNC).orElseThrow().id();
        Need.tool("bpftool"); // the oracle; .ci/run installs it, a bare machine has none
        String dump = Commands.run("bpftool", "btf", "dump", "id", String.valueOf(target.info().btfId()));
        Matcher m = Pattern.compile("(?m)^\\[(\\d+)\\] FUNC 'pick_verdict'").matcher(dump);
        assertTrue(m.find(), dump);
        return Integer.parseInt(m.group(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void theExtensionReachesTheBackendWithItsTargetAndIsRefusedAsReported(String backend) {
        Recording.Backend rec = Recording.of(Corpus.open(backend));
        try (Bpf bpf = rec.bpf(); BpfCollection target = Corpus.spec("freplace.o").withPrograms("with_verdict").load(bpf)) {
            BpfProgram t = target.program("with_verdict");
            assertTrue(t.info().btfId() > 0, "the target was loaded with its BTF, so its global functions can be replaced");
            Support ext = bpf.capabilities().programType(ProgramType.EXT);
            LoadOptions opts = LoadOptions.defaults().withExtensionTarget("drop_instead", t.fd(), null);
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                    () -> Corpus.spec("freplace.o").withPrograms("drop_instead").load(bpf, opts).close());
            assertTrue(!ext.supported() && e.reason().endsWith(ext.reason()), e.reason() + " / reported: " + ext.reason());
            assertTrue(e.reason().startsWith("program \"drop_instead\" (section 'freplace/pick_verdict')"), e.reason());

            ProgramSpec sent = rec.loads().get(rec.loads().size() - 1);
            assertEquals(ProgramType.EXT, sent.type());
            assertEquals(t.fd(), sent.attachProgFd());
            assertEquals(pickVerdictId(backend, t, Corpus.spec("freplace.o")), sent.attachBtfId());
            assertEquals(0, sent.attachBtfObjFd());
            assertNull(sent.expectedAttachType());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void aMissingOrWrongTargetIsRefusedBeforeTheLoad(String backend) {
        Recording.Backend rec = Recording.of(Corpus.open(backend));
        ObjectSpec ext = Corpus.spec("freplace.o").withPrograms("drop_instead");
        try (Bpf bpf = rec.bpf(); BpfCollection target = Corpus.spec("freplace.o").withPrograms("with_verdict").load(bpf)) {
            int loads = rec.loads().size();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ext.load(bpf).close());
            assertTrue(e.getMessage().startsWith("options: ") && e.getMessage().contains("LoadOptions.withExtensionTarget"),
                    e.getMessage());
            LoadOptions wrong = LoadOptions.defaults().withExtensionTarget("drop_instead", target.program("with_verdict").fd(), "nope");
            e = assertThrows(IllegalArgumentException.class, () -> ext.load(bpf, wrong).close());
            assertTrue(e.getMessage().contains("has no function 'nope'"), e.getMessage());
            try (BpfProgram bare = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, new long[] {0xb7L | 2L << 32, 0x95}, "GPL"))) {
                LoadOptions noBtf = LoadOptions.defaults().withExtensionTarget("drop_instead", bare.fd(), null);
                e = assertThrows(IllegalArgumentException.class, () -> ext.load(bpf, noBtf).close());
                assertTrue(e.getMessage().contains("was loaded without BTF"), e.getMessage());
            }
            assertEquals(loads + 1, rec.loads().size(), "only the bare program was loaded");
        }
    }

    @org.junit.jupiter.api.Test
    void theKernelsRefusalIsItsTrampolinePolicy() {
        try (Bpf bpf = LinuxKernel.open()) {
            Support s = bpf.capabilities().programType(ProgramType.EXT);
            assertTrue(!s.supported() && s.reason().contains("trampoline"), s.toString());
        }
    }
}
