package io.bpf4j.it.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfEnumValue;
import io.bpf4j.api.btf.BtfFeature;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfParam;
import io.bpf4j.api.btf.BtfSanitizer;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.BtfVarSecinfo;
import io.bpf4j.api.btf.KernelBtf;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BTF built in Java loaded into the kernel (whose verifier is the oracle that the encoding is
 * valid) and into the simulator, and read back with {@link BpfBtf#data()}; the kernel's own
 * vmlinux BTF object read the same way; feature probes and the sanitizer's output on the kernel.
 */
class BtfKernelTest {

    /** Every kind the kernel loads, with names and shapes its BTF verifier accepts. */
    static BtfBuilder kernelValid() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        int u = b.addInt("unsigned int", 4, 0);
        int c = b.addInt("char", 1, BtfType.Int.SIGNED);
        int p = b.addPtr(c);
        int arr = b.addArray(c, i, 16);
        int s = b.addStruct("flags", 16, List.of(new BtfMember("a", u, 0, 3), new BtfMember("b", u, 3, 5),
                new BtfMember("name", p, 64, 0)));
        b.addUnion("num", 4, List.of(new BtfMember("i", i, 0, 0), new BtfMember("c", c, 0, 0)));
        b.addEnum("colour", 4, true, List.of(new BtfEnumValue("RED", -1), new BtfEnumValue("GREEN", 2)));
        b.addEnum64("big", 8, false, List.of(new BtfEnumValue("HUGE", 1L << 40)));
        b.addFwd("opaque", false);
        b.addTypedef("u32_t", u);
        b.addConst(b.addVolatile(i));
        b.addRestrict(p);
        int proto = b.addFuncProto(i, List.of(new BtfParam("x", i), new BtfParam("s", b.addPtr(s))));
        b.addFunc("helper", proto, BtfLinkage.STATIC);
        int prog = b.addFunc("prog", proto, BtfLinkage.GLOBAL);
        int v = b.addVar("counter", i, BtfLinkage.GLOBAL);
        int w = b.addVar("local", arr, BtfLinkage.STATIC);
        b.addDatasec(".data", 20, List.of(new BtfVarSecinfo(v, 0, 4), new BtfVarSecinfo(w, 4, 16)));
        b.addFloat("double", 8);
        b.addDeclTag("kfunc", prog, -1);
        b.addDeclTag("member_tag", s, 0);
        b.addPtr(b.addTypeTag("user", i));
        return b;
    }

    private static Bpf open(String backend) {
        if (backend.equals("linux")) io.bpf4j.it.LinuxKernel.require();
        return Bpf.open(backend);
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "sim"})
    void builtBtfLoadsAndReadsBackByteForByte(String backend) {
        byte[] blob = kernelValid().marshal();
        try (Bpf bpf = open(backend); BpfBtf btf = BpfBtf.load(bpf, blob)) {
            assertArrayEquals(blob, btf.data());
            assertArrayEquals(blob, bpf.btfGetData(btf.fd()));
            BtfInfo info = btf.info();
            assertEquals(blob.length, info.size());
            assertEquals(Btf.parse(blob).types().collect(Collectors.toList()), btf.parse().types().collect(Collectors.toList()));
        }
    }

    @Test
    void vmlinuxBtfObjectIsTheSysfsBlob() throws Exception {
        io.bpf4j.it.LinuxKernel.require();
        byte[] sysfs = Files.readAllBytes(KernelBtf.DIRECTORY.resolve("vmlinux"));
        try (Bpf bpf = Bpf.open("linux")) {
            boolean found = false;
            for (int id = bpf.btfGetNextId(0); id != 0 && !found; id = bpf.btfGetNextId(id)) {
                try (BpfBtf btf = BpfBtf.fromId(bpf, id)) {
                    BtfInfo info = btf.info();
                    if (!info.kernel() || !info.name().equals("vmlinux")) continue;
                    assertEquals(sysfs.length, info.size());
                    assertArrayEquals(sysfs, btf.data());
                    assertEquals(KernelBtf.vmlinux().typeCount(), btf.parse().typeCount());
                    found = true;
                }
            }
            assertTrue(found, "no kernel BTF object named vmlinux among the BTF ids");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "sim"})
    void probeFindsEveryFeature(String backend) {
        try (Bpf bpf = open(backend)) {
            // Linux 6.18 has every feature; the simulator accepts every kind of 6.18.
            assertEquals(EnumSet.allOf(BtfFeature.class), BtfSanitizer.probe(bpf));
        }
    }

    @Test
    void btfSanitizedForTheOldestKernelStillLoads() {
        io.bpf4j.it.LinuxKernel.require();
        BtfBuilder b = kernelValid();
        assertEquals(12, BtfSanitizer.sanitize(b, EnumSet.noneOf(BtfFeature.class)));
        byte[] blob = b.marshal();
        try (Bpf bpf = Bpf.open("linux"); BpfBtf btf = BpfBtf.load(bpf, blob)) {
            assertArrayEquals(blob, btf.data());
        }
    }
}
