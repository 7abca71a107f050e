package io.bpf4j.sim.internal.vm;

/**
 * Resolves the maps a program refers to when it is loaded: by file descriptor
 * ({@code BPF_PSEUDO_MAP_FD}, {@code BPF_PSEUDO_MAP_VALUE}) or by index into the fd array
 * passed with the load ({@code BPF_PSEUDO_MAP_IDX}, {@code BPF_PSEUDO_MAP_IDX_VALUE}).
 */
public interface MapResolver {
    /** A resolver that knows no maps, for programs that use none. */
    MapResolver NONE = new MapResolver() {
        @Override
        public VmMap byFd(int fd) {
            return null;
        }

        @Override
        public VmMap byIndex(int index) {
            return null;
        }
    };

    /**
     * The map behind a file descriptor of the loading process.
     *
     * @param fd the descriptor in the instruction
     * @return the map, or {@code null} when {@code fd} is not a map
     */
    VmMap byFd(int fd);

    /**
     * The map at an index of the load's fd array.
     *
     * @param index the index in the instruction
     * @return the map, or {@code null} when the index is out of range or not a map
     */
    VmMap byIndex(int index);
}
