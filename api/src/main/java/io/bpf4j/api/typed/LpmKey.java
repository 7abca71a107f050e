package io.bpf4j.api.typed;

import java.util.Objects;

/**
 * A key of a {@code BPF_MAP_TYPE_LPM_TRIE}: the prefix length in bits and the data, as
 * {@code struct bpf_lpm_trie_key_u8} holds them. Encode with {@link Codecs#lpm(Codec)}.
 *
 * @param prefixLength the prefix length in bits, 0 to 8 times the data's size
 * @param data the data (e.g. an address), whose first {@code prefixLength} bits count
 * @param <T> the data's type
 */
public record LpmKey<T>(int prefixLength, T data) {
    /**
     * Checks the key.
     *
     * @throws IllegalArgumentException when the prefix length is negative
     * @throws NullPointerException when the data is null
     */
    public LpmKey {
        if (prefixLength < 0) throw new IllegalArgumentException("prefixLength: " + prefixLength + " is negative");
        Objects.requireNonNull(data, "data");
    }
}
