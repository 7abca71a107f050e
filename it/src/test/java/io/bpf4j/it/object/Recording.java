package io.bpf4j.it.object;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Need;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend that passes every call to a real one and keeps the program specs it was asked to
 * load, so a test can see the exact attributes the loader sent to the kernel, and what the
 * kernel answered to them.
 */
final class Recording {
    private Recording() {
    }

    /** The backend, and the specs of every {@code progLoad}, in order. */
    record Backend(Bpf bpf, List<ProgramSpec> loads) {
    }

    static Backend of(Bpf real) {
        List<ProgramSpec> loads = new ArrayList<>();
        Bpf proxy = (Bpf) Proxy.newProxyInstance(Bpf.class.getClassLoader(), new Class<?>[] {Bpf.class}, (p, m, args) -> {
            if (m.getName().equals("progLoad")) loads.add((ProgramSpec) args[0]);
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return new Backend(proxy, loads);
    }

    private static String vmlinux;

    /** A vmlinux BTF id as bpftool reports it, the oracle the loader's own BTF reader is held to. */
    static synchronized int vmlinuxId(String kind, String name) {
        Need.tool("bpftool"); // the oracle; .ci/run installs it, a bare machine has none
        if (vmlinux == null) vmlinux = Commands.run("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux");
        String dump = vmlinux;
        Matcher m = Pattern.compile("(?m)^\\[(\\d+)\\] " + kind + " '" + Pattern.quote(name) + "'").matcher(dump);
        if (!m.find()) throw new AssertionError("bpftool shows no " + kind + " '" + name + "' in vmlinux");
        return Integer.parseInt(m.group(1));
    }

    static int code(long insn) {
        return (int) insn & 0xff;
    }

    static int src(long insn) {
        return (int) (insn >>> 12) & 0xf;
    }

    static int imm(long insn) {
        return (int) (insn >>> 32);
    }
}
