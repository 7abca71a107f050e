package io.bpf4j.sim.internal.vm;

import static io.bpf4j.sim.internal.vm.LinuxErrno.EINVAL;

import java.nio.charset.StandardCharsets;

/**
 * {@code bpf_trace_printk(fmt, fmt_size, arg1, arg2, arg3)}: formats like the kernel's
 * {@code bpf_bprintf_prepare} + {@code bstr_printf} and appends the line to the
 * {@link TraceLog}. Supports flags, width and precision, the length modifiers {@code h hh l ll z},
 * the conversions {@code d i u x X o c s %}, and {@code %p} with the kernel's {@code x K i4 I4
 * i6 I6} forms. An unknown conversion or more than three arguments returns {@code -EINVAL}, as
 * the kernel does.
 */
final class TracePrintk {
    private TracePrintk() {}

    private static final int MAX_ARGS = 3;
    /** The kernel copies {@code %s} strings into a buffer of {@code MAX_BPRINTF_BUF} bytes. */
    private static final int MAX_STRING = 512;

    static long call(Vm vm, long fmtPtr, long fmtSize, long a1, long a2, long a3) {
        if (fmtSize <= 0 || fmtSize > 0x10000) {
            return -EINVAL;
        }
        byte[] raw = vm.read(fmtPtr, (int) fmtSize);
        int nul = -1;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            return -EINVAL;
        }
        String out = format(vm, new String(raw, 0, nul, StandardCharsets.ISO_8859_1), new long[] {a1, a2, a3});
        if (out == null) {
            return -EINVAL;
        }
        vm.env().traceLog().add(out.endsWith("\n") ? out.substring(0, out.length() - 1) : out);
        return out.length();
    }

    /** Formats {@code fmt}; {@code null} when the kernel would refuse it. */
    static String format(Vm vm, String fmt, long[] args) {
        StringBuilder sb = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < fmt.length()) {
            char ch = fmt.charAt(i++);
            if (ch != '%') {
                sb.append(ch);
                continue;
            }
            if (i < fmt.length() && fmt.charAt(i) == '%') {
                sb.append('%');
                i++;
                continue;
            }
            boolean left = false;
            boolean zero = false;
            boolean plus = false;
            boolean space = false;
            boolean alt = false;
            for (; i < fmt.length(); i++) {
                char f = fmt.charAt(i);
                if (f == '-') {
                    left = true;
                } else if (f == '0') {
                    zero = true;
                } else if (f == '+') {
                    plus = true;
                } else if (f == ' ') {
                    space = true;
                } else if (f == '#') {
                    alt = true;
                } else {
                    break;
                }
            }
            int width = 0;
            while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                width = Math.min(width * 10 + fmt.charAt(i++) - '0', 1000);
            }
            int precision = -1;
            if (i < fmt.length() && fmt.charAt(i) == '.') {
                i++;
                precision = 0;
                while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                    precision = Math.min(precision * 10 + fmt.charAt(i++) - '0', 1000);
                }
            }
            int bits = 32;
            if (fmt.startsWith("ll", i)) {
                bits = 64;
                i += 2;
            } else if (fmt.startsWith("hh", i)) {
                bits = 8;
                i += 2;
            } else if (i < fmt.length() && (fmt.charAt(i) == 'l' || fmt.charAt(i) == 'z')) {
                bits = 64;
                i++;
            } else if (i < fmt.length() && fmt.charAt(i) == 'h') {
                bits = 16;
                i++;
            }
            if (i >= fmt.length() || next >= MAX_ARGS) {
                return null;
            }
            char conv = fmt.charAt(i++);
            long v = args[next++];
            String body;
            String sign = "";
            switch (conv) {
                case 'd':
                case 'i': {
                    long sv = bits == 64 ? v : bits == 32 ? (int) v : bits == 16 ? (short) v : (byte) v;
                    sign = sv < 0 ? "-" : plus ? "+" : space ? " " : "";
                    body = sv < 0 ? Long.toUnsignedString(-sv) : Long.toString(sv);
                    body = precise(body, precision);
                    break;
                }
                case 'u':
                    body = precise(Long.toUnsignedString(truncate(v, bits)), precision);
                    break;
                case 'x':
                case 'X': {
                    body = precise(Long.toHexString(truncate(v, bits)), precision);
                    if (conv == 'X') {
                        body = body.toUpperCase(java.util.Locale.ROOT);
                    }
                    if (alt && v != 0) {
                        sign = conv == 'X' ? "0X" : "0x";
                    }
                    break;
                }
                case 'o':
                    body = precise(Long.toOctalString(truncate(v, bits)), precision);
                    if (alt && !body.startsWith("0")) {
                        body = "0" + body;
                    }
                    break;
                case 'c':
                    body = String.valueOf((char) (v & 0xff));
                    zero = false;
                    break;
                case 's': {
                    body = v == 0 ? "(null)" : vm.readString(v, MAX_STRING);
                    if (precision >= 0 && body.length() > precision) {
                        body = body.substring(0, precision);
                    }
                    zero = false;
                    break;
                }
                case 'p': {
                    int[] consumed = {0};
                    body = pointer(vm, fmt, i, v, consumed);
                    if (body == null) {
                        return null;
                    }
                    i += consumed[0];
                    zero = false;
                    break;
                }
                default:
                    return null;
            }
            sb.append(pad(sign, body, width, left, zero && precision < 0));
        }
        return sb.toString();
    }

    private static long truncate(long v, int bits) {
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    private static String precise(String digits, int precision) {
        if (precision == 0 && digits.equals("0")) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int n = digits.length(); n < precision; n++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    private static String pad(String sign, String body, int width, boolean left, boolean zero) {
        int fill = width - sign.length() - body.length();
        if (fill <= 0) {
            return sign + body;
        }
        String spaces = (zero ? "0" : " ").repeat(fill);
        if (left) {
            return sign + body + " ".repeat(fill);
        }
        return zero ? sign + spaces + body : spaces + sign + body;
    }

    /** {@code %p} and its kernel extensions; {@code consumed[0]} gets the extra format chars used. */
    private static String pointer(Vm vm, String fmt, int i, long v, int[] consumed) {
        String rest = fmt.substring(i);
        if (rest.startsWith("i4") || rest.startsWith("I4")) {
            consumed[0] = 2;
            byte[] a = vm.read(v, 4);
            String f = rest.charAt(0) == 'i' ? "%03d" : "%d";
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                sb.append(k == 0 ? "" : ".").append(String.format(f, a[k] & 0xff));
            }
            return sb.toString();
        }
        if (rest.startsWith("i6") || rest.startsWith("I6")) {
            consumed[0] = 2;
            byte[] a = vm.read(v, 16);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 16; k += 2) {
                int word = (a[k] & 0xff) << 8 | (a[k + 1] & 0xff);
                sb.append(k == 0 ? "" : rest.charAt(0) == 'I' ? ":" : "").append(
                        rest.charAt(0) == 'I' ? Integer.toHexString(word) : String.format("%04x", word));
            }
            return sb.toString();
        }
        if (rest.startsWith("x") || rest.startsWith("K")) {
            consumed[0] = 1;
        } else if (!rest.isEmpty() && Character.isLetterOrDigit(rest.charAt(0))) {
            return null;
        }
        return String.format("%016x", v);
    }
}
