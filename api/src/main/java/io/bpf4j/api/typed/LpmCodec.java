package io.bpf4j.api.typed;

import io.bpf4j.api.btf.Btf;

/** {@code struct bpf_lpm_trie_key_u8}: a {@code __u32} prefix length, then the data. */
final class LpmCodec<T> implements Codec<LpmKey<T>>, Typed {
    private final Codec<T> data;

    LpmCodec(Codec<T> data) {
        this.data = data;
    }

    @Override
    public int size() {
        return 4 + data.size();
    }

    @Override
    public int alignment() {
        return 4;
    }

    @Override
    public void encode(LpmKey<T> v, byte[] d, int o) {
        if (v.prefixLength() > 8 * data.size()) {
            throw new IllegalArgumentException("value: prefix length " + v.prefixLength() + " is longer than the "
                    + 8 * data.size() + " bits of " + data);
        }
        Bytes.putInt(d, o, v.prefixLength());
        data.encode(v.data(), d, o + 4);
    }

    @Override
    public LpmKey<T> decode(byte[] s, int o) {
        return new LpmKey<>(Bytes.getInt(s, o), data.decode(s, o + 4));
    }

    @Override
    public void checkBtf(Btf btf, int typeId, String what) {
        // A trie's key type is the program's own struct of prefixlen and data: sizes are what can be compared.
        BtfLayout.checkSize(btf, typeId, size(), what, this);
    }

    @Override
    public Class<?> javaType() {
        return LpmKey.class;
    }

    @Override
    public String toString() {
        return "lpm(" + data + ")";
    }
}
