package io.bpf4j.api.btf;

import java.util.Arrays;
import java.util.List;

/**
 * Decodes one type record of a checked type section ({@code struct btf_type} and the data after
 * it, Linux 6.18 uapi {@code include/uapi/linux/btf.h}) into its {@link BtfType}.
 */
final class TypeDecoder {
    static final BtfType.Void VOID = new BtfType.Void();

    private TypeDecoder() {
    }

    /** Decodes {@code id}, which {@code o} holds. */
    static BtfType decode(Btf o, int id) {
        byte[] b = o.buf;
        int off = o.offsets[id - o.firstId];
        String name = o.string(Btf.u32(b, off));
        int info = Btf.u32(b, off + 4);
        int vlen = info & 0xffff;
        boolean kflag = info < 0;
        int st = Btf.u32(b, off + 8);
        int body = off + BtfParser.TYPE_SIZE;
        switch (BtfKind.ofChecked((info >>> 24) & 0x1f)) {
            case INT: {
                int data = Btf.u32(b, body);
                return new BtfType.Int(id, name, st, (data >>> 24) & 0xf, (data >>> 16) & 0xff, data & 0xff);
            }
            case PTR:
                return new BtfType.Ptr(id, name, st);
            case ARRAY:
                return new BtfType.Array(id, name, Btf.u32(b, body), Btf.u32(b, body + 4), Btf.u32(b, body + 8));
            case STRUCT:
                return new BtfType.Struct(id, name, st, kflag, members(o, body, vlen, kflag));
            case UNION:
                return new BtfType.Union(id, name, st, kflag, members(o, body, vlen, kflag));
            case ENUM: {
                BtfEnumValue[] v = new BtfEnumValue[vlen];
                for (int i = 0, p = body; i < vlen; i++, p += 8) {
                    int raw = Btf.u32(b, p + 4);
                    v[i] = new BtfEnumValue(o.string(Btf.u32(b, p)), kflag ? raw : Integer.toUnsignedLong(raw));
                }
                return new BtfType.Enum(id, name, st, kflag, List.of(v));
            }
            case ENUM64: {
                BtfEnumValue[] v = new BtfEnumValue[vlen];
                for (int i = 0, p = body; i < vlen; i++, p += 12) {
                    long value = Integer.toUnsignedLong(Btf.u32(b, p + 4)) | (long) Btf.u32(b, p + 8) << 32;
                    v[i] = new BtfEnumValue(o.string(Btf.u32(b, p)), value);
                }
                return new BtfType.Enum64(id, name, st, kflag, List.of(v));
            }
            case FWD:
                return new BtfType.Fwd(id, name, kflag);
            case TYPEDEF:
                return new BtfType.Typedef(id, name, st);
            case VOLATILE:
                return new BtfType.Volatile(id, name, st);
            case CONST:
                return new BtfType.Const(id, name, st);
            case RESTRICT:
                return new BtfType.Restrict(id, name, st);
            case FUNC:
                return new BtfType.Func(id, name, st, BtfLinkage.of(vlen));
            case FUNC_PROTO: {
                BtfParam[] p = new BtfParam[vlen];
                for (int i = 0, q = body; i < vlen; i++, q += 8) p[i] = new BtfParam(o.string(Btf.u32(b, q)), Btf.u32(b, q + 4));
                return new BtfType.FuncProto(id, name, st, List.of(p));
            }
            case VAR:
                return new BtfType.Var(id, name, st, BtfLinkage.of(Btf.u32(b, body)));
            case DATASEC: {
                BtfVarSecinfo[] v = new BtfVarSecinfo[vlen];
                for (int i = 0, q = body; i < vlen; i++, q += 12) {
                    v[i] = new BtfVarSecinfo(Btf.u32(b, q), Btf.u32(b, q + 4), Btf.u32(b, q + 8));
                }
                return new BtfType.Datasec(id, name, st, List.of(v));
            }
            case FLOAT:
                return new BtfType.Float(id, name, st);
            case DECL_TAG:
                return new BtfType.DeclTag(id, name, st, Btf.u32(b, body), kflag);
            case TYPE_TAG:
                return new BtfType.TypeTag(id, name, st, kflag);
            default:
                throw new AssertionError(Arrays.toString(new int[] {id, info}));
        }
    }

    private static List<BtfMember> members(Btf o, int body, int vlen, boolean kflag) {
        byte[] b = o.buf;
        BtfMember[] m = new BtfMember[vlen];
        for (int i = 0, p = body; i < vlen; i++, p += 12) {
            int offset = Btf.u32(b, p + 8);
            // With kind_flag the word is bitfield_size << 24 | bit_offset (BTF_MEMBER_BITFIELD_SIZE).
            m[i] = kflag
                    ? new BtfMember(o.string(Btf.u32(b, p)), Btf.u32(b, p + 4), offset & 0xffffff, offset >>> 24)
                    : new BtfMember(o.string(Btf.u32(b, p)), Btf.u32(b, p + 4), offset, 0);
        }
        return List.of(m);
    }
}
