package io.bpf4j.sim.internal.vm;

/**
 * A map {@code bpf_redirect_map} redirects through (device map, device hash, CPU map): whether
 * a key holds a target.
 */
public interface VmRedirectMap extends VmMap {
    /**
     * Whether the map has a target under a key ({@code __dev_map_lookup_elem()} and the like).
     *
     * @param key the key, as the helper's u32
     * @return true when an entry is there
     */
    boolean hasTarget(int key);

    /**
     * Whether the map takes {@code BPF_F_BROADCAST} and {@code BPF_F_EXCLUDE_INGRESS} (device maps do).
     *
     * @return true for device maps
     */
    boolean broadcasts();
}
