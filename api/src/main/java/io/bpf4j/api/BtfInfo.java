package io.bpf4j.api;

/**
 * A BTF object's info ({@code struct bpf_btf_info}).
 *
 * @param id the BTF object's id
 * @param name its name (a module name, or "vmlinux"), empty for user-loaded BTF
 * @param size the size of the raw BTF in bytes
 * @param kernel whether it is the kernel's or a module's BTF
 */
public record BtfInfo(int id, String name, int size, boolean kernel) {
}
