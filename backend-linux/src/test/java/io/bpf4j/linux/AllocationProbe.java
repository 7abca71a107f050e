package io.bpf4j.linux;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.Allocations;

/**
 * Run in a JVM of its own by {@link AllocationTest}: an owned map's element calls and the same
 * on its bare descriptor, checked for allocation, under whatever JIT flags that JVM was given. Exits 0 when they allocate nothing, 1
 * with the reason on standard error otherwise.
 */
final class AllocationProbe {
    private AllocationProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (LinuxBpf bpf = (LinuxBpf) new LinuxProvider().open();
             BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 16))) {
            byte[] key = {1, 0, 0, 0};
            byte[] missing = {9, 0, 0, 0};
            byte[] value = new byte[8];
            Allocations.assertNone(() -> {
                map.update(key, value, 0);
                map.lookup(key, value);
                map.lookup(missing, value);
                map.delete(missing);
            }, 4);
            // Commands on a bare descriptor duplicate it, read its layout and close the duplicate:
            // fcntl and close besides bpf().
            int fd = map.fd();
            Allocations.assertNone(() -> {
                bpf.mapUpdateElem(fd, key, value, 0);
                bpf.mapLookupElem(fd, key, value, 0);
                bpf.mapDeleteElem(fd, missing);
            }, 3);
        } catch (Throwable t) {
            System.err.println(t);
            System.exit(1);
        }
        System.exit(0);
    }
}
