package io.bpf4j.api.object;

/**
 * Whose conventions an object file was compiled for. The ELF is the same, but the meaning of
 * what it holds is not: eBPF for Windows' headers give map types other numbers (its 5 is a per-CPU
 * array, Linux's a per-CPU hash; its 13 a ring buffer, Linux's a hash of maps), lay out the legacy
 * {@code maps} section's definitions in 32 bytes instead of libbpf's 20, and name program sections
 * after the extensions installed on Windows ({@code bind}, {@code cgroup/recv_accept4}, ...).
 *
 * <p>The flavor is chosen by the caller, never guessed: a BTF-defined map or an {@code xdp}
 * section reads the same under both conventions and means different things, so no inspection of
 * the file can tell them apart for every object. {@link ObjectSpec#open(java.nio.file.Path)} reads
 * libbpf's; an object that follows neither fails with a message naming the section and, where the
 * section or definition size is eBPF for Windows', this flavor.
 */
public enum ObjectFlavor {
    /** libbpf's conventions ({@code tools/lib/bpf/libbpf.c}), with Linux's type numbers. */
    LIBBPF,
    /**
     * eBPF for Windows' conventions (its {@code include/bpf_helpers.h} and {@code ebpf_structs.h},
     * 0.21.0 to 1.5.0), loaded through the {@code bpf()} path of its JIT mode: the map definitions
     * of {@code struct _ebpf_map_definition_in_file} and BTF-defined maps with Windows' type
     * numbers, and the section names its extensions register. Programs whose Windows program type
     * bpf4j has no {@link io.bpf4j.api.ProgramType} for, and global data, which that path does not
     * resolve, are refused at load with the reason ({@link ObjectProgram#whyNotLoadable()}).
     */
    EBPF_FOR_WINDOWS
}
