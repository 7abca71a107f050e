package io.bpf4j.it.diff;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The map commands as scenario steps. Each renders what the caller observes: lookups give the
 * value or "missing", deletes true/false, next key the key or "end", walks the key sequence
 * (sorted when the order is not the kernel's to promise), batches their count and what they
 * copied.
 */
final class MapOps {
    final Scenario s;

    MapOps(Scenario s) {
        this.s = s;
    }

    MapOps create(String sym, MapSpec spec) {
        s.specs.put(sym, spec);
        s.step("create " + sym + " " + spec.type() + " key=" + spec.keySize() + " value=" + spec.valueSize()
                + " max=" + spec.maxEntries() + " flags=0x" + Integer.toHexString(spec.flags())
                + (spec.mapExtra() != 0 ? " extra=" + spec.mapExtra() : ""),
                c -> {
                    c.def(sym, c.bpf.mapCreate(spec));
                    return "created";
                });
        return this;
    }

    /** A map of maps whose inner template is {@code innerSym} (created before). */
    MapOps createOuter(String sym, MapSpec spec, String innerSym) {
        s.specs.put(sym, spec);
        s.step("create " + sym + " " + spec.type() + " inner=" + innerSym + " max=" + spec.maxEntries(), c -> {
            c.def(sym, c.bpf.mapCreate(spec.withInnerMapFd(c.fd(innerSym))));
            return "created";
        });
        return this;
    }

    MapOps update(String sym, byte[] key, byte[] value, long flags) {
        byte[] k = Scenario.copy(key);
        byte[] v = Scenario.copy(value);
        s.step("update " + sym + " key=" + Scenario.key(k) + " value=" + Scenario.key(v) + " " + Scenario.flags(flags),
                c -> {
                    c.bpf.mapUpdateElem(c.fd(sym), k, v, flags);
                    return null;
                });
        return this;
    }

    /** Update of a prog array or map of maps: the value is the descriptor of {@code valueSym}. */
    MapOps updateFd(String sym, byte[] key, String valueSym, long flags) {
        byte[] k = Scenario.copy(key);
        s.step("update " + sym + " key=" + Scenario.key(k) + " value=fd(" + valueSym + ") " + Scenario.flags(flags), c -> {
            c.bpf.mapUpdateElem(c.fd(sym), k, Bytes.k(c.fd(valueSym)), flags);
            return null;
        });
        return this;
    }

    MapOps lookup(String sym, byte[] key) {
        return lookup(sym, key, 0);
    }

    MapOps lookup(String sym, byte[] key, long flags) {
        byte[] k = Scenario.copy(key);
        int n = s.userValueSize(sym);
        s.step("lookup " + sym + " key=" + Scenario.key(k) + (flags != 0 ? " " + Scenario.flags(flags) : ""), c -> {
            byte[] v = new byte[n];
            return c.bpf.mapLookupElem(c.fd(sym), k, v, flags) ? v : "missing";
        });
        return this;
    }

    /** Lookup in a map of maps or prog array: the value is an object's id, rendered as its symbol. */
    MapOps lookupId(String sym, byte[] key) {
        byte[] k = Scenario.copy(key);
        boolean progs = s.spec(sym).type() == MapType.PROG_ARRAY;
        s.step("lookup " + sym + " key=" + Scenario.key(k) + " (value is an id)", c -> {
            byte[] v = new byte[4];
            if (!c.bpf.mapLookupElem(c.fd(sym), k, v, 0)) return "missing";
            int id = Bytes.le32(v, 0);
            return "id of " + (progs ? c.progSymOfId(id) : c.mapSymOfId(id));
        });
        return this;
    }

    MapOps delete(String sym, byte[] key) {
        byte[] k = Scenario.copy(key);
        s.step("delete " + sym + " key=" + Scenario.key(k), c -> c.bpf.mapDeleteElem(c.fd(sym), k));
        return this;
    }

    MapOps nextKey(String sym, byte[] key) {
        byte[] k = Scenario.copy(key);
        int n = s.spec(sym).keySize();
        s.step("next_key " + sym + " after " + Scenario.key(k), c -> {
            byte[] next = new byte[n];
            return c.bpf.mapGetNextKey(c.fd(sym), k, next) ? next : "end";
        });
        return this;
    }

    MapOps lookupAndDelete(String sym, byte[] key, long flags) {
        byte[] k = Scenario.copy(key);
        int n = s.userValueSize(sym);
        s.step("lookup_and_delete " + sym + " key=" + Scenario.key(k) + (flags != 0 ? " " + Scenario.flags(flags) : ""),
                c -> {
                    byte[] v = new byte[n];
                    return c.bpf.mapLookupAndDeleteElem(c.fd(sym), k, v, flags) ? v : "missing";
                });
        return this;
    }

    MapOps freeze(String sym) {
        s.step("freeze " + sym, c -> {
            c.bpf.mapFreeze(c.fd(sym));
            return null;
        });
        return this;
    }

    /**
     * The key sequence from next_key(null) to the end; {@code ordered=false} sorts it, for maps
     * whose order is the hash seed's (backend-sim/README.md: without BPF_F_ZERO_SEED).
     */
    MapOps walk(String sym, boolean ordered) {
        int n = s.spec(sym).keySize();
        s.step((ordered ? "walk " : "walk (as a set: random hash seed) ") + sym, c -> {
            List<String> keys = new ArrayList<>();
            byte[] cur = null;
            for (int i = 0; i < 10_000; i++) {
                byte[] next = new byte[n];
                if (!c.bpf.mapGetNextKey(c.fd(sym), cur, next)) break;
                keys.add(Outcome.hex(next));
                cur = next;
            }
            if (!ordered) keys.sort(null);
            return keys;
        });
        return this;
    }

    /** Every element as key=value (sorted unless ordered). */
    MapOps dump(String sym, boolean ordered) {
        int n = s.spec(sym).keySize();
        int vn = s.userValueSize(sym);
        s.step((ordered ? "dump " : "dump (as a set) ") + sym, c -> {
            List<String> out = new ArrayList<>();
            byte[] cur = null;
            for (int i = 0; i < 10_000; i++) {
                byte[] next = new byte[n];
                if (!c.bpf.mapGetNextKey(c.fd(sym), cur, next)) break;
                byte[] v = new byte[vn];
                out.add(Outcome.hex(next) + "=" + (c.bpf.mapLookupElem(c.fd(sym), next, v, 0) ? Outcome.hex(v) : "missing"));
                cur = next;
            }
            if (!ordered) out.sort(null);
            return out;
        });
        return this;
    }

    /**
     * One lookup (or lookup-and-delete) batch call from {@code cursorSym}'s cursor (null: start),
     * keeping the out cursor under {@code cursorSym}; renders the count and the copied pairs.
     */
    MapOps lookupBatch(String sym, boolean delete, String cursorSym, boolean fromStart, int count, boolean ordered) {
        int kn = s.spec(sym).keySize();
        int vn = s.userValueSize(sym);
        int cn = Math.max(kn, 4);
        s.step((delete ? "lookup_and_delete_batch " : "lookup_batch ") + sym + " count=" + count
                + (fromStart ? " from start" : " from cursor") + (ordered ? "" : " (as a set)"), c -> {
            byte[] in = fromStart ? null : c.kept.getOrDefault(cursorSym, new byte[cn]);
            byte[] out = new byte[cn];
            byte[] keys = new byte[count * kn];
            byte[] values = new byte[count * vn];
            var r = delete ? c.bpf.mapLookupAndDeleteBatch(c.fd(sym), in, out, keys, values, count, 0, 0)
                    : c.bpf.mapLookupBatch(c.fd(sym), in, out, keys, values, count, 0, 0);
            c.kept.put(cursorSym, out);
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < r.count(); i++) {
                pairs.add(Outcome.hex(Arrays.copyOfRange(keys, i * kn, (i + 1) * kn)) + "="
                        + Outcome.hex(Arrays.copyOfRange(values, i * vn, (i + 1) * vn)));
            }
            if (!ordered) pairs.sort(null);
            return Outcome.render(r) + " " + pairs;
        });
        return this;
    }

    MapOps updateBatch(String sym, byte[] keys, byte[] values, int count, long elemFlags) {
        byte[] k = Scenario.copy(keys);
        byte[] v = Scenario.copy(values);
        s.step("update_batch " + sym + " count=" + count + " keys=" + Scenario.key(k) + " " + Scenario.flags(elemFlags),
                c -> c.bpf.mapUpdateBatch(c.fd(sym), k, v, count, elemFlags, 0));
        return this;
    }

    MapOps deleteBatch(String sym, byte[] keys, int count) {
        byte[] k = Scenario.copy(keys);
        s.step("delete_batch " + sym + " count=" + count + " keys=" + Scenario.key(k),
                c -> c.bpf.mapDeleteBatch(c.fd(sym), k, count, 0, 0));
        return this;
    }

    /** The map's info as the caller sees it (type, sizes, max entries, flags, name). */
    MapOps info(String sym) {
        s.step("info " + sym, c -> {
            var i = c.bpf.mapGetInfo(c.fd(sym));
            return i.type() + " key=" + i.keySize() + " value=" + i.valueSize() + " max=" + i.maxEntries() + " flags=0x"
                    + Integer.toHexString(i.flags()) + " name=" + i.name() + " extra=" + i.mapExtra();
        });
        return this;
    }

    static boolean isHashLike(MapType t) {
        return t == MapType.HASH || t == MapType.PERCPU_HASH || t == MapType.LRU_HASH || t == MapType.LRU_PERCPU_HASH;
    }
}
