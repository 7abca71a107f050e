package io.bpf4j.api.btf;

/**
 * BTF a kernel may lack, in the order kernels gained it. A loader probes which ones the kernel
 * has ({@link BtfSanitizer#probe(io.bpf4j.api.Bpf)}) and lets {@link BtfSanitizer} rewrite the
 * rest, as libbpf does ({@code bpf_object__sanitize_btf}).
 */
public enum BtfFeature {
    /** {@code FUNC} and {@code FUNC_PROTO} (Linux 5.0). */
    FUNC,
    /** {@code VAR} and {@code DATASEC} (Linux 5.2). */
    DATASEC,
    /** {@code FUNC} with global linkage (Linux 5.6). */
    FUNC_GLOBAL,
    /** {@code FLOAT} (Linux 5.13). */
    FLOAT,
    /** {@code DECL_TAG} (Linux 5.16). */
    DECL_TAG,
    /** {@code TYPE_TAG} (Linux 5.17). */
    TYPE_TAG,
    /** {@code ENUM64} and signed enums (Linux 6.0). */
    ENUM64,
    /** {@code DATASEC} names starting with {@code ?}, which libbpf gives optional sections (recent kernels). */
    QMARK_DATASEC
}
