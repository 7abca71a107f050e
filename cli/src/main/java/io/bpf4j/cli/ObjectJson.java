package io.bpf4j.cli;

import io.bpf4j.api.object.ObjectMap;
import io.bpf4j.api.object.ObjectProgram;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.api.object.ObjectVariable;
import java.util.List;

/** {@code bpf4j object} output as JSON. */
final class ObjectJson {
    private ObjectJson() {
    }

    static String spec(ObjectSpec o) {
        StringBuilder b = new StringBuilder("{\"file\":").append(Json.quote(o.file())).append(",\"object\":")
                .append(Json.quote(o.objectName())).append(",\"license\":").append(Json.quote(o.license()))
                .append(",\"kernelVersion\":").append(Integer.toUnsignedString(o.kernelVersion()))
                .append(",\"btf\":").append(o.btf().isPresent()).append(",\"flavor\":").append(Json.quote(o.flavor().name()))
                .append(",\"programs\":[");
        List<ObjectProgram> ps = o.programs();
        for (int i = 0; i < ps.size(); i++) {
            ObjectProgram p = ps.get(i);
            b.append(i == 0 ? "" : ",").append("{\"name\":").append(Json.quote(p.name())).append(",\"section\":")
                    .append(Json.quote(p.section())).append(",\"type\":").append(Json.quote(p.type().name()))
                    .append(",\"expectedAttachType\":").append(p.expectedAttachType() == null ? "null"
                            : Json.quote(p.expectedAttachType().name()))
                    .append(",\"flags\":").append(p.flags()).append(",\"sleepable\":").append(p.sleepable())
                    .append(",\"hook\":").append(Json.quote(p.hook().name())).append(",\"target\":").append(Json.quote(p.target()))
                    .append(",\"instructions\":").append(p.instructionCount()).append(",\"coreRelocations\":")
                    .append(p.coreRelocations()).append(",\"maps\":").append(strings(p.maps()))
                    .append(",\"notLoadable\":").append(p.whyNotLoadable().map(Json::quote).orElse("null")).append('}');
        }
        b.append("],\"maps\":[");
        for (int i = 0; i < o.maps().size(); i++) b.append(i == 0 ? "" : ",").append(map(o.maps().get(i)));
        b.append("],\"variables\":[");
        for (int i = 0; i < o.variables().size(); i++) {
            ObjectVariable v = o.variables().get(i);
            b.append(i == 0 ? "" : ",").append("{\"name\":").append(Json.quote(v.name())).append(",\"map\":")
                    .append(Json.quote(v.map())).append(",\"offset\":").append(v.offset()).append(",\"size\":").append(v.size())
                    .append(",\"type\":").append(Json.quote(v.typeName())).append(",\"constant\":").append(v.constant()).append('}');
        }
        return b.append("]}").toString();
    }

    private static String map(ObjectMap m) {
        return "{\"name\":" + Json.quote(m.name()) + ",\"kernelName\":" + Json.quote(m.kernelName()) + ",\"kind\":"
                + Json.quote(m.kind().name()) + ",\"type\":" + Json.quote(m.type().name()) + ",\"keySize\":" + m.keySize()
                + ",\"valueSize\":" + m.valueSize() + ",\"maxEntries\":" + Integer.toUnsignedString(m.maxEntries())
                + ",\"flags\":" + m.flags() + ",\"pinning\":" + Json.quote(m.pinning().name())
                + ",\"innerMap\":" + (m.innerMap() == null ? "null" : map(m.innerMap())) + ",\"slots\":" + slots(m) + "}";
    }

    private static String slots(ObjectMap m) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < m.slots().size(); i++) {
            ObjectMap.Slot s = m.slots().get(i);
            b.append(i == 0 ? "" : ",").append("{\"index\":").append(s.index()).append(",\"name\":").append(Json.quote(s.name()))
                    .append(",\"program\":").append(s.program()).append('}');
        }
        return b.append(']').toString();
    }

    private static String strings(List<String> l) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) b.append(i == 0 ? "" : ",").append(Json.quote(l.get(i)));
        return b.append(']').toString();
    }

    static String load(String backend, LoadReport r) {
        StringBuilder b = new StringBuilder("{\"backend\":").append(Json.quote(backend)).append(",\"programs\":")
                .append(loaded(r.programs())).append(",\"maps\":").append(loaded(r.maps())).append(",\"failures\":[");
        for (int i = 0; i < r.failures().size(); i++) {
            LoadReport.Failure f = r.failures().get(i);
            b.append(i == 0 ? "" : ",").append("{\"program\":").append(Json.quote(f.program())).append(",\"reason\":")
                    .append(Json.quote(f.reason())).append(",\"verifierLogTail\":").append(Json.quote(f.logTail())).append('}');
        }
        return b.append("],\"error\":").append(Json.quote(r.error())).append('}').toString();
    }

    private static String loaded(List<LoadReport.Loaded> l) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            LoadReport.Loaded x = l.get(i);
            b.append(i == 0 ? "" : ",").append("{\"name\":").append(Json.quote(x.name())).append(",\"id\":").append(x.id())
                    .append(",\"pinned\":").append(Json.quote(x.pinned())).append('}');
        }
        return b.append(']').toString();
    }
}
