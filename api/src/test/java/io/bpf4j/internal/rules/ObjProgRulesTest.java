package io.bpf4j.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapFlags;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import org.junit.jupiter.api.Test;

class ObjProgRulesTest {
    private static void rejected(String param, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(param + ":"), e.getMessage());
    }

    @Test
    void pinPaths() {
        ObjRules.pin(3, "/sys/fs/bpf/a.b");   // a dot is bpffs' answer (EPERM), not an input rule
        rejected("path", () -> ObjRules.pin(3, ""));
        rejected("path", () -> ObjRules.pin(3, null));
        rejected("path", () -> ObjRules.pin(3, "/sys/fs/bpf/a\0b"));
        rejected("path", () -> ObjRules.pin(3, "/" + "x".repeat(4095)));
        rejected("path", () -> ObjRules.pin(3, "/" + "\u00e9".repeat(2048)));
        ObjRules.pin(3, "/" + "x".repeat(4094));
        rejected("fd", () -> ObjRules.pin(-1, "/sys/fs/bpf/x"));
        rejected("fileFlags", () -> ObjRules.get("/sys/fs/bpf/x", MapFlags.RDONLY | MapFlags.WRONLY));
        rejected("fileFlags", () -> ObjRules.get("/sys/fs/bpf/x", 1));
        ObjRules.get("/sys/fs/bpf/x", MapFlags.RDONLY);
    }

    @Test
    void names() {
        ObjRules.name("a.b_C9", "name");
        ObjRules.name("x".repeat(15), "name");
        rejected("name", () -> ObjRules.name("x".repeat(16), "name"));
        rejected("name", () -> ObjRules.name("a-b", "name"));
        rejected("name", () -> ObjRules.name("\u00e9", "name"));
    }

    @Test
    void idsAndReads() {
        rejected("startId", () -> ObjRules.startId(-1));
        rejected("id", () -> ObjRules.id(0));
        rejected("off/len", () -> ObjRules.read(3, new byte[4], 2, 3));
        rejected("off/len", () -> ObjRules.read(3, new byte[4], -1, 1));
        rejected("buf", () -> ObjRules.read(3, null, 0, 0));
        rejected("btf", () -> ObjRules.btfLoad(new byte[0], 0));
        rejected("logLevel", () -> ObjRules.btfLoad(new byte[1], 8));
    }

    @Test
    void programs() {
        long[] insns = {0x95};
        rejected("fdArray[1]", () -> ProgRules.load(ProgramSpec.of(ProgramType.XDP, insns, "GPL").withFdArray(new int[] {3, -1})));
        rejected("flags", () -> ProgRules.load(ProgramSpec.of(ProgramType.XDP, insns, "GPL").withFlags(1 << 8)));
        rejected("flags", () -> ProgRules.testRun(3, new TestRunSpec(null, 0, null, 0, 1, 8, 0, 0)));
        rejected("progFd", () -> ProgRules.testRun(-1, TestRunSpec.ofData(new byte[14])));
        rejected("flags", () -> ProgRules.bindMap(3, 4, 1));
        rejected("streamId", () -> ProgRules.streamRead(3, 3, new byte[1]));
    }

    @Test
    void outputRoomIsWhatTheKernelCanWrite() {
        assertEquals(100, ProgRules.testRunRoom(100));
        assertEquals(ProgRules.TEST_RUN_OUT_MAX, ProgRules.testRunRoom(Integer.MAX_VALUE));
        assertEquals(4096, ProgRules.firstLogSize(4096));
        assertEquals(ProgRules.LOG_FIRST_MAX, ProgRules.firstLogSize(ProgRules.LOG_MAX));
    }
}
