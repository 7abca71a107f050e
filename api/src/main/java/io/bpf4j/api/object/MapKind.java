package io.bpf4j.api.object;

/** Where an object's map comes from. */
public enum MapKind {
    /** A legacy definition in the {@code maps} section (libbpf's {@code struct bpf_map_def}). */
    LEGACY,
    /** A BTF-defined map in the {@code .maps} section. */
    BTF,
    /** Global variables of {@code .data} or {@code .data.*}: a one-element array, written at load. */
    DATA,
    /** Constants of {@code .rodata} or {@code .rodata.*}: a one-element array, written then frozen at load. */
    RODATA,
    /** Zero-initialised globals of {@code .bss} or {@code .bss.*}: a one-element array. */
    BSS,
    /**
     * The {@code .kconfig} externs ({@code LINUX_KERNEL_VERSION}, {@code CONFIG_*}): a
     * one-element array the loader fills from the kernel's configuration, then freezes.
     */
    KCONFIG;

    /**
     * Whether this is a global-data map (one element holding a section's variables).
     *
     * @return true for {@link #DATA}, {@link #RODATA}, {@link #BSS} and {@link #KCONFIG}
     */
    public boolean globalData() {
        return this == DATA || this == RODATA || this == BSS || this == KCONFIG;
    }
}
