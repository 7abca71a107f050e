package io.bpf4j.sim;

import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import org.junit.jupiter.api.Test;

/** BPF_MAP_CREATE refusals; each errno is what Linux 6.18 returned for the same attributes. */
class MapCreateTest extends SimTestBase {
    private void refused(Errno errno, MapSpec spec) {
        fails(errno, () -> sim.mapCreate(spec));
    }

    @Test
    void attributesTheKernelRefuses() {
        refused(Errno.EINVAL, MapSpec.of(MapType.HASH, 0, 8, 4));
        refused(Errno.EINVAL, MapSpec.of(MapType.HASH, 4, 0, 4));
        refused(Errno.EINVAL, MapSpec.of(MapType.HASH, 4, 8, 0));
        // Flag bits Linux 6.18 does not define are bad input, rejected in Java on every backend.
        rejected("flags", () -> sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withFlags(1 << 20)));
        refused(Errno.E2BIG, MapSpec.of(MapType.HASH, 4, 4 << 20, 4));
        refused(Errno.EINVAL, MapSpec.of(MapType.ARRAY, 8, 8, 4));
        refused(Errno.ENOTSUPP, MapSpec.of(MapType.LRU_HASH, 4, 8, 4).withFlags(MapFlags.NO_PREALLOC));
        refused(Errno.EINVAL, MapSpec.of(MapType.HASH, 4, 8, 4).withFlags(MapFlags.NO_COMMON_LRU));
        refused(Errno.EINVAL, MapSpec.of(MapType.LPM_TRIE, 8, 8, 4));
        // So is a key size for a keyless type.
        for (MapType t : new MapType[] {MapType.QUEUE, MapType.STACK, MapType.BLOOM_FILTER, MapType.RINGBUF}) {
            rejected("keySize", () -> sim.mapCreate(MapSpec.of(t, 4, t == MapType.RINGBUF ? 0 : 8, t == MapType.RINGBUF ? 4096 : 4)));
        }
        refused(Errno.EINVAL, MapSpec.of(MapType.HASH, 4, 8, 4).withMapExtra(1));
        refused(Errno.EINVAL, MapSpec.of(MapType.HASH, 4, 8, 4).withFlags(MapFlags.RDONLY | MapFlags.WRONLY));
        refused(Errno.E2BIG, MapSpec.of(MapType.PERCPU_ARRAY, 4, 40000, 4));
        refused(Errno.EINVAL, MapSpec.of(MapType.ARRAY, 4, 8, 4).withFlags(MapFlags.NO_PREALLOC));
        refused(Errno.EINVAL, MapSpec.of(MapType.PROG_ARRAY, 4, 8, 4));
        refused(Errno.E2BIG, MapSpec.of(MapType.HASH, 4, 8, (1 << 28) + 1).withFlags(MapFlags.NO_PREALLOC));
        refused(Errno.EINVAL, MapSpec.of(MapType.ARRAY, 4, 8, 4).withNumaNode(1));
        refused(Errno.EBADF, MapSpec.of(MapType.ARRAY_OF_MAPS, 4, 4, 4).withInnerMapFd(77));
    }
}
