package io.bpf4j.api.btf;

/**
 * One variable of a data section ({@code struct btf_var_secinfo}).
 *
 * @param typeId the variable: a {@link BtfType.Var} (or, in sections of functions, a {@link BtfType.Func})
 * @param offset where it is in the section, in bytes (unsigned)
 * @param size its size in bytes (unsigned)
 */
public record BtfVarSecinfo(int typeId, int offset, int size) {
}
