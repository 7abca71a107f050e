package io.bpf4j.cli;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.MapType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code map dump}'s output: every element in hex, and typed through the map's BTF when asked,
 * in the shape of {@code bpftool map dump}'s {@code "formatted"} objects.
 */
final class MapDump {
    private MapDump() {
    }

    /**
     * The map's key and value types, from the BTF object its info names.
     *
     * @param values the BTF's formatter
     * @param keyType the key's type id, or 0 when the key has none (data sections)
     * @param valueType the value's type id, or 0
     */
    record Types(BtfValues values, int keyType, int valueType) {
        /** The map's types, or null when it has no BTF or no typed key or value. */
        static Types of(BpfMap m) {
            MapInfo info = m.info();
            if (info.btfId() == 0 || (info.btfKeyTypeId() == 0 && info.btfValueTypeId() == 0)) return null;
            try (BpfBtf btf = BpfBtf.fromId(m.bpf(), info.btfId())) {
                return new Types(new BtfValues(btf.parse()), info.btfKeyTypeId(), info.btfValueTypeId());
            }
        }
    }

    /**
     * Prints every element, counting them on the progress line.
     *
     * @param m the map
     * @param types its types, or null for hex only
     * @param json one JSON array (else a line per element)
     */
    static void print(BpfMap m, Types types, boolean json, PrintWriter out, Progress progress) {
        boolean perCpu = m.type().isPerCpu();
        long max = m.type() == MapType.ARRAY || m.type() == MapType.PERCPU_ARRAY ? m.info().maxEntries() : 0;
        List<String> items = json ? new ArrayList<>() : null;
        long n = 0;
        try (progress) {
            for (Map.Entry<byte[], byte[]> e : m.entries()) {
                byte[] k = e.getKey();
                byte[] v = e.getValue();
                if (json) {
                    StringBuilder b = new StringBuilder("{\"key\":").append(Json.quote(Hex.of(k))).append(",\"value\":")
                            .append(MapElemCommands.valueJson(m, v));
                    if (types != null) b.append(",\"formatted\":").append(formatted(m, types, k, v, perCpu));
                    items.add(b.append('}').toString());
                } else {
                    String line = types == null ? "key " + Hex.of(k) + "  value " + MapElemCommands.value(m, v)
                            : "key: " + (types.keyType() == 0 ? Hex.of(k) : types.values().json(types.keyType(), k)) + "  value: "
                                    + typedValue(m, types, v, perCpu);
                    progress.beforeOutput();
                    out.println(line);
                }
                progress.step(++n, max, "elements");
            }
        }
        if (json) out.println("[" + String.join(",", items) + "]");
    }

    /** bpftool's {@code "formatted"}: the typed key (when it has a type) and value, or per CPU {@code "values"}. */
    private static String formatted(BpfMap m, Types t, byte[] k, byte[] v, boolean perCpu) {
        StringBuilder b = new StringBuilder("{");
        if (t.keyType() != 0) b.append("\"key\":").append(t.values().json(t.keyType(), k));
        if (t.valueType() != 0) {
            if (t.keyType() != 0) b.append(',');
            if (perCpu) {
                b.append("\"values\":[");
                List<byte[]> cpus = m.perCpuValues(v);
                for (int c = 0; c < cpus.size(); c++) {
                    if (c > 0) b.append(',');
                    b.append("{\"cpu\":").append(c).append(",\"value\":").append(t.values().json(t.valueType(), cpus.get(c))).append('}');
                }
                b.append(']');
            } else {
                b.append("\"value\":").append(t.values().json(t.valueType(), v));
            }
        }
        return b.append('}').toString();
    }

    private static String typedValue(BpfMap m, Types t, byte[] v, boolean perCpu) {
        if (t.valueType() == 0) return MapElemCommands.value(m, v);
        if (!perCpu) return t.values().json(t.valueType(), v);
        List<String> parts = new ArrayList<>();
        List<byte[]> cpus = m.perCpuValues(v);
        for (int c = 0; c < cpus.size(); c++) parts.add("cpu" + c + " " + t.values().json(t.valueType(), cpus.get(c)));
        return String.join("  ", parts);
    }
}
