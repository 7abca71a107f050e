package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.UpdateFlags;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpf4j map dump|lookup|update|delete|getnext|push|pop|peek|freeze|pin}: a map's elements
 * by id or pinned path, keys and values in hex as bpftool takes them ({@code 0a000000},
 * {@code "0a 00 00 00"} or {@code "0x0a 0x00 0x00 0x00"}), or typed through the map's BTF as JSON
 * ({@code '{"pid": 42}'}, or {@code json:42} for a scalar). Per-CPU values are printed per CPU.
 */
final class MapElemCommands {
    private MapElemCommands() {
    }

    /** A map by pinned path (with a {@code /}) or id. */
    static BpfMap open(Bpf bpf, String map) {
        if (!map.isEmpty() && map.chars().allMatch(Character::isDigit)) {
            long id = Long.parseLong(map);
            if (id > Integer.MAX_VALUE || id == 0) throw new IllegalArgumentException("MAP: id " + map + " is out of range");
            return BpfMap.fromId(bpf, (int) id);
        }
        return BpfMap.pinned(bpf, map);
    }

    /** A value as text: hex, or per CPU ({@code cpu0 … cpu1 …}). */
    static String value(BpfMap m, byte[] v) {
        if (!m.type().isPerCpu()) return Hex.of(v);
        List<String> parts = new ArrayList<>();
        List<byte[]> cpus = m.perCpuValues(v);
        for (int c = 0; c < cpus.size(); c++) parts.add("cpu" + c + " " + Hex.of(cpus.get(c)));
        return String.join("  ", parts);
    }

    static String valueJson(BpfMap m, byte[] v) {
        if (!m.type().isPerCpu()) return Json.quote(Hex.of(v));
        List<String> parts = new ArrayList<>();
        for (byte[] c : m.perCpuValues(v)) parts.add(Json.quote(Hex.of(c)));
        return "[" + String.join(",", parts) + "]";
    }

    /** What every element command takes: the map, the backend, JSON. */
    abstract static class Op extends BackendCommand {
        @Parameters(index = "0", paramLabel = "MAP", description = "A pinned map's path, or a map id.")
        String map;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        abstract void run(BpfMap m, PrintWriter out);

        /** The map's BTF types, fetched and parsed at most once per command (a key and a value may both be typed). */
        private MapDump.Types types;
        private boolean typesRead;

        MapDump.Types types(BpfMap m) {
            if (!typesRead) {
                types = MapDump.Types.of(m);
                typesRead = true;
            }
            return types;
        }

        /**
         * A key or value as given: JSON typed through the map's BTF when it starts with {@code {} or
         * {@code [} or carries the prefix {@code json:}, else bytes as {@link Hex#parse} reads them.
         * A per-CPU value in JSON is a list with one value per possible CPU.
         *
         * @param what the parameter, for messages
         * @param key true for the key, false for the value
         */
        byte[] bytes(BpfMap m, String what, String text, boolean key) {
            int size = key ? m.keySize() : m.type().isPerCpu() ? m.valueBufferSize() : m.valueSize();
            if (text == null) throw new IllegalArgumentException(what + ": missing");
            String t = text.strip();
            if (!t.startsWith("{") && !t.startsWith("[") && !t.startsWith("json:")) return Hex.parse(what, text, size);
            Object json = JsonReader.read(what, t.startsWith("json:") ? t.substring(5) : t);
            MapDump.Types types = types(m);
            int typeId = types == null ? 0 : key ? types.keyType() : types.valueType();
            if (typeId == 0) {
                throw new IllegalArgumentException(what + ": given as JSON, but the map has no BTF type for its "
                        + (key ? "key" : "value") + "; give it in hex");
            }
            BtfEncoder enc = new BtfEncoder(types.values().btf());
            if (key || !m.type().isPerCpu()) return enc.encode(what, typeId, json, size);
            int cpus = m.bpf().possibleCpus();
            if (!(json instanceof List<?> l) || l.size() != cpus) {
                throw new IllegalArgumentException(what + ": a per-CPU value in JSON is a list of " + cpus
                        + " values, one per possible CPU");
            }
            byte[] out = new byte[size];
            int stride = size / cpus;
            for (int c = 0; c < cpus; c++) {
                byte[] one = enc.encode(what + "[cpu" + c + "]", typeId, l.get(c), m.valueSize());
                System.arraycopy(one, 0, out, c * stride, one.length);
            }
            return out;
        }

        /** A queue's or stack's next value, or a failed operation when it is empty. */
        void printNext(BpfMap m, Optional<byte[]> next, PrintWriter out) {
            byte[] v = next.orElseThrow(() -> new IllegalStateException("the " + m.type() + " is empty"));
            out.println(json ? "{\"value\":" + Json.quote(Hex.of(v)) + "}" : Hex.of(v));
        }

        @Override
        void run(Bpf bpf, PrintWriter out) {
            try (BpfMap m = open(bpf, map)) {
                run(m, out);
            }
        }
    }

    /** {@code map dump MAP [--format hex|json] [--json]}. */
    @Command(name = "dump", mixinStandardHelpOptions = true, description = {"Every element: key and value in hex, and typed"
            + " through the map's BTF when it has some, formatted as bpftool formats them:"
            + " text lines 'key: K  value: V', or with --json bpftool's \"formatted\": {\"key\": K, \"value\": V} beside"
            + " the hex. On a terminal a long dump shows its progress on stderr."})
    static final class Dump extends Op {
        @Option(names = "--format", paramLabel = "hex|json", description = "hex: the bytes only; json: typed through the"
                + " map's BTF (an error when it has none). Default: json when the map has BTF, else hex.")
        String format;

        @Override
        void run(BpfMap m, PrintWriter out) {
            MapDump.print(m, typed(m), json, out, Progress.of(spec, "map " + map));
        }

        /** The map's BTF types, or null to dump in hex. */
        private MapDump.Types typed(BpfMap m) {
            if (format != null && !format.equals("hex") && !format.equals("json")) {
                throw new IllegalArgumentException("--format: '" + format + "' is neither hex nor json");
            }
            if ("hex".equals(format)) return null;
            MapDump.Types t = types(m);
            if (t == null && "json".equals(format)) {
                throw new IllegalArgumentException("--format json: map " + map + " has no BTF key or value type");
            }
            return t;
        }
    }

    /** {@code map lookup MAP KEY}. */
    @Command(name = "lookup", mixinStandardHelpOptions = true, description = "One element's value; exit 1 when the key is missing.")
    static final class Lookup extends Op {
        @Parameters(index = "1", paramLabel = "KEY", description = "The key: hex, or JSON typed through the map's BTF.")
        String key;

        @Override
        void run(BpfMap m, PrintWriter out) {
            byte[] k = bytes(m, "KEY", key, true);
            Optional<byte[]> v = m.lookup(k);
            if (v.isEmpty()) throw new IllegalStateException("no element with key " + Hex.of(k));
            out.println(json ? "{\"key\":" + Json.quote(Hex.of(k)) + ",\"value\":" + valueJson(m, v.get()) + "}" : value(m, v.get()));
        }
    }

    /** {@code map update MAP KEY VALUE [--noexist|--exist]}. */
    @Command(name = "update", mixinStandardHelpOptions = true, description = "Creates or replaces an element.")
    static final class Update extends Op {
        @Parameters(index = "1", paramLabel = "KEY", description = "The key: hex, or JSON typed through the map's BTF.")
        String key;

        @Parameters(index = "2", paramLabel = "VALUE", description = "The value: hex (per-CPU maps: every CPU's, back to back,"
                + " each padded to 8 bytes), or JSON typed through the map's BTF (per-CPU maps: a list, one per CPU).")
        String value;

        @Option(names = "--noexist", description = "Only create (BPF_NOEXIST).")
        boolean noexist;

        @Option(names = "--exist", description = "Only replace (BPF_EXIST).")
        boolean exist;

        @Override
        void run(BpfMap m, PrintWriter out) {
            if (noexist && exist) throw new IllegalArgumentException("--noexist and --exist: choose one");
            long flags = noexist ? UpdateFlags.NOEXIST : exist ? UpdateFlags.EXIST : UpdateFlags.ANY;
            m.update(bytes(m, "KEY", key, true), bytes(m, "VALUE", value, false), flags);
        }
    }

    /** {@code map delete MAP KEY}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an element; exit 1 when the key is missing.")
    static final class Delete extends Op {
        @Parameters(index = "1", paramLabel = "KEY", description = "The key: hex, or JSON typed through the map's BTF.")
        String key;

        @Override
        void run(BpfMap m, PrintWriter out) {
            byte[] k = bytes(m, "KEY", key, true);
            if (!m.delete(k)) throw new IllegalStateException("no element with key " + Hex.of(k));
        }
    }

    /** {@code map getnext MAP [KEY]}. */
    @Command(name = "getnext", mixinStandardHelpOptions = true, description = "The key after KEY (or the first); exit 1 at the end.")
    static final class GetNext extends Op {
        @Parameters(index = "1", arity = "0..1", paramLabel = "KEY", description = "The current key (hex or typed JSON); none for the first.")
        String key;

        @Override
        void run(BpfMap m, PrintWriter out) {
            byte[] next = new byte[m.keySize()];
            if (!m.nextKey(key == null ? null : bytes(m, "KEY", key, true), next)) {
                throw new IllegalStateException("no key after " + (key == null ? "the start" : key));
            }
            out.println(json ? "{\"next_key\":" + Json.quote(Hex.of(next)) + "}" : Hex.of(next));
        }
    }

    /** {@code map push MAP VALUE}. */
    @Command(name = "push", mixinStandardHelpOptions = true, description = "Pushes onto a queue or stack (or adds to a bloom filter).")
    static final class Push extends Op {
        @Parameters(index = "1", paramLabel = "VALUE", description = "The value: hex, or JSON typed through the map's BTF.")
        String value;

        @Override
        void run(BpfMap m, PrintWriter out) {
            m.push(bytes(m, "VALUE", value, false), 0);
        }
    }

    /** {@code map pop MAP}. */
    @Command(name = "pop", mixinStandardHelpOptions = true, description = "Pops from a queue or stack; exit 1 when empty.")
    static final class Pop extends Op {
        @Override
        void run(BpfMap m, PrintWriter out) {
            printNext(m, m.pop(), out);
        }
    }

    /** {@code map peek MAP}. */
    @Command(name = "peek", mixinStandardHelpOptions = true, description = "The next value of a queue or stack; exit 1 when empty.")
    static final class Peek extends Op {
        @Override
        void run(BpfMap m, PrintWriter out) {
            printNext(m, m.peek(), out);
        }
    }

    /** {@code map freeze MAP}. */
    @Command(name = "freeze", mixinStandardHelpOptions = true, description = "Freezes the map: user space can no longer write it.")
    static final class Freeze extends Op {
        @Override
        void run(BpfMap m, PrintWriter out) {
            m.freeze();
        }
    }

    /** {@code map pin MAP PATH}. */
    @Command(name = "pin", mixinStandardHelpOptions = true, description = "Pins the map at a path on bpffs.")
    static final class Pin extends Op {
        @Parameters(index = "1", paramLabel = "PATH", description = "Where to pin it.")
        String path;

        @Override
        void run(BpfMap m, PrintWriter out) {
            m.pin(path);
        }
    }
}
