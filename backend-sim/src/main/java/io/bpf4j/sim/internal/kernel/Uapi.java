package io.bpf4j.sim.internal.kernel;

import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;

/**
 * The raw type numbers the simulator reports in object info. It simulates Linux 6.18, so they are
 * that kernel's {@code include/uapi/linux/bpf.h} numbers: {@code enum bpf_map_type},
 * {@code enum bpf_prog_type} and {@code enum bpf_link_type}. The portable enums are declared in
 * that order, so a number is the constant's ordinal; {@code UapiTest} pins a sample by name so a
 * reordered enum cannot go unnoticed here.
 */
public final class Uapi {
    private Uapi() {
    }

    /**
     * {@code enum bpf_map_type}.
     *
     * @param t the map type
     * @return its Linux number
     */
    public static int mapType(MapType t) {
        return t.ordinal();
    }

    /**
     * {@code enum bpf_prog_type}.
     *
     * @param t the program type
     * @return its Linux number
     */
    public static int programType(ProgramType t) {
        return t.ordinal();
    }

    /**
     * {@code enum bpf_link_type}.
     *
     * @param t the link type
     * @return its Linux number
     */
    public static int linkType(LinkType t) {
        return t.ordinal();
    }
}
