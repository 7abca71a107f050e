package io.bpf4j.api.typed;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import java.util.Set;

/** Checks shared by the typed views: the map's kind and the codecs' sizes and BTF. */
final class Views {
    private Views() {
    }

    static void kind(BpfMap map, Set<MapType> kinds, String view) {
        if (map == null) throw new IllegalArgumentException("map: null");
        if (!kinds.contains(map.type())) {
            throw new IllegalArgumentException("map: a " + map.type() + " map has no " + view + " view (it takes " + kinds + ")");
        }
    }

    static void size(Codec<?> c, int size, String what, BpfMap map) {
        if (c == null) throw new IllegalArgumentException(what + ": null codec");
        if (c.size() != size) {
            throw new IllegalArgumentException(what + ": the codec " + c + " encodes " + c.size() + " bytes, the " + map.type()
                    + " map's " + what + "s are " + size);
        }
    }

    /** Checks the codecs against the map's BTF key and value types, when it has them. */
    static void btf(BpfMap map, Codec<?> key, Codec<?> value) {
        io.bpf4j.api.MapInfo info = map.info();
        if (info.btfId() == 0 || (info.btfKeyTypeId() == 0 && info.btfValueTypeId() == 0)) return;
        io.bpf4j.api.btf.Btf btf;
        try (io.bpf4j.api.BpfBtf b = io.bpf4j.api.BpfBtf.fromId(map.bpf(), info.btfId())) {
            btf = b.parse();
        }
        if (key != null && info.btfKeyTypeId() != 0) key.checkBtf(btf, info.btfKeyTypeId(), "key");
        if (value != null && info.btfValueTypeId() != 0) value.checkBtf(btf, info.btfValueTypeId(), "value");
    }
}
