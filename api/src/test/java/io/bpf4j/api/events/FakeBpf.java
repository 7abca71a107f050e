package io.bpf4j.api.events;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapType;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * A backend with nothing but what the readers use: maps by descriptor (type and size), crafted
 * rings, a hand-signalled waiter. Built as a proxy so it needs no copy of the whole interface.
 */
final class FakeBpf {
    final Map<Integer, MapType> types = new HashMap<>();
    final Map<Integer, CraftedRing> rings = new HashMap<>();
    final Map<Integer, CraftedRing> perfRings = new HashMap<>();
    final FakeWaiter waiter = new FakeWaiter();
    int cpus = 2;
    final Bpf bpf;

    FakeBpf() {
        bpf = (Bpf) Proxy.newProxyInstance(Bpf.class.getClassLoader(), new Class<?>[] {Bpf.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "name": return "fake";
                case "possibleCpus": return cpus;
                case "closeFd": return null;
                case "mapGetInfo": {
                    int fd = (Integer) a[0];
                    return new MapInfo(types.get(fd), 0, fd, 0, 0, 4096, 0, "m" + fd, 0, 0, 0, 0, 0);
                }
                case "ringBufferMap": return rings.get((Integer) a[0]);
                case "perfBufferOpen": return perfRings.get((Integer) a[1]);
                case "ringWaiter": return waiter;
                case "hashCode": return System.identityHashCode(p);
                case "equals": return p == a[0];
                case "toString": return "FakeBpf";
                default: throw new UnsupportedOperationException(m.getName());
            }
        });
    }

    BpfMap map(int fd, MapType type, CraftedRing ring) {
        types.put(fd, type);
        if (ring != null) rings.put(fd, ring);
        return BpfMap.fromFd(bpf, fd);
    }

    BpfMap perfArray(int fd, CraftedRing... perCpu) {
        types.put(fd, MapType.PERF_EVENT_ARRAY);
        for (int i = 0; i < perCpu.length; i++) {
            if (perCpu[i] != null) perfRings.put(i, perCpu[i]);
        }
        return BpfMap.fromFd(bpf, fd);
    }
}
