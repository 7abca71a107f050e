package io.bpf4j.cli;

import io.bpf4j.api.object.ObjectFlavor;
import io.bpf4j.api.object.ObjectMap;
import io.bpf4j.api.object.ObjectProgram;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.api.object.ObjectVariable;
import io.bpf4j.api.object.Pinning;

/** {@code bpf4j object} output as text for people. */
final class ObjectText {
    private ObjectText() {
    }

    static String spec(ObjectSpec o) {
        StringBuilder b = new StringBuilder();
        b.append("file: ").append(o.file()).append(" (object ").append(o.objectName()).append("), license \"")
                .append(o.license()).append('"');
        if (o.kernelVersion() != 0) b.append(", kernel version 0x").append(Integer.toHexString(o.kernelVersion()));
        b.append(o.btf().isPresent() ? ", with BTF" : ", no BTF");
        if (o.flavor() == ObjectFlavor.EBPF_FOR_WINDOWS) b.append(", eBPF for Windows conventions");
        b.append('\n');
        b.append("\nprograms (").append(o.programs().size()).append("):\n");
        for (ObjectProgram p : o.programs()) {
            b.append(String.format("  %-20s section %-28s type %-16s attach %-22s insns %5d  hook %s%s%s%n", p.name(),
                    p.section(), p.type(), p.expectedAttachType() == null ? "-" : p.expectedAttachType(),
                    p.instructionCount(), p.hook(), p.sleepable() ? " sleepable" : "",
                    p.coreRelocations() > 0 ? " (" + p.coreRelocations() + " CO-RE relocations)" : ""));
            p.whyNotLoadable().ifPresent(why -> b.append("    not loadable: ").append(why).append('\n'));
        }
        b.append("\nmaps (").append(o.maps().size()).append("):\n");
        for (ObjectMap m : o.maps()) {
            b.append("  ").append(map(m)).append('\n');
            if (m.innerMap() != null) b.append("    inner: ").append(map(m.innerMap())).append('\n');
            if (!m.slots().isEmpty()) {
                b.append("    initial elements:");
                for (ObjectMap.Slot s : m.slots()) b.append(" [").append(s.index()).append("] ").append(s.name());
                b.append('\n');
            }
        }
        b.append("\nvariables (").append(o.variables().size()).append("):\n");
        for (ObjectVariable v : o.variables()) {
            b.append(String.format("  %-20s %-18s offset %4d size %4d%s%s%n", v.name(), v.map(), v.offset(), v.size(),
                    v.typeName().isEmpty() ? "" : "  " + v.typeName(), v.constant() ? "  (constant)" : ""));
        }
        return b.toString().stripTrailing();
    }

    private static String map(ObjectMap m) {
        return String.format("%-20s %-16s %-7s %-16s key %4d value %6d max %8d flags 0x%x%s", m.name(), m.kernelName(),
                m.kind(), m.type(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags(),
                m.pinning() == Pinning.BY_NAME ? "  pinned by name" : "");
    }

    static String load(String backend, LoadReport r) {
        StringBuilder b = new StringBuilder("backend: ").append(backend).append('\n');
        if (r.error() != null) b.append("load failed: ").append(r.error()).append('\n');
        if (!r.programs().isEmpty()) b.append("\nprograms:\n");
        for (LoadReport.Loaded p : r.programs()) b.append(loaded(p));
        if (!r.maps().isEmpty()) b.append("\nmaps:\n");
        for (LoadReport.Loaded m : r.maps()) b.append(loaded(m));
        if (!r.failures().isEmpty()) b.append("\nfailed:\n");
        for (LoadReport.Failure f : r.failures()) {
            b.append("  ").append(f.program() == null ? "?" : f.program()).append(": ").append(f.reason()).append('\n');
            for (String line : f.logTail().split("\n")) if (!line.isBlank()) b.append("    | ").append(line).append('\n');
        }
        return b.toString().stripTrailing();
    }

    private static String loaded(LoadReport.Loaded x) {
        return String.format("  %-20s id %-6d%s%n", x.name(), x.id(), x.pinned() == null ? "" : " pinned " + x.pinned());
    }
}
