package io.bpf4j.cli;

import java.util.HexFormat;

/** Bytes as the command takes and prints them: hex, as bpftool does. */
final class Hex {
    private Hex() {
    }

    /**
     * Parses bytes as given on the command line: one token is a hex string ({@code 0a000000},
     * optionally {@code 0x}-prefixed); several tokens are one byte each, as bpftool reads them
     * ({@code 1 0 0 0}, {@code 0x2a 0 0 0}: C's number syntax, so {@code 0x} is hex, a leading
     * {@code 0} octal, the rest decimal), or hex after a first token {@code hex}
     * ({@code hex 0a 00 00 00}).
     *
     * @param what the option, for the message
     * @param text the bytes
     * @param size the size they must have, or -1 for any
     */
    static byte[] parse(String what, String text, int size) {
        if (text == null) throw new IllegalArgumentException(what + ": missing");
        String[] t = text.trim().split("[\\s,]+");
        byte[] b;
        try {
            if (t.length == 1) {
                String d = t[0].startsWith("0x") || t[0].startsWith("0X") ? t[0].substring(2) : t[0];
                b = HexFormat.of().parseHex(d);
            } else {
                boolean hex = t[0].equals("hex");
                int from = hex ? 1 : 0;
                b = new byte[t.length - from];
                for (int i = from; i < t.length; i++) {
                    int v = hex ? Integer.parseInt(t[i], 16) : number(t[i]);
                    if (v < 0 || v > 255) throw new NumberFormatException(t[i]);
                    b[i - from] = (byte) v;
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not bytes (a hex string, or one number per byte)");
        }
        if (size >= 0 && b.length != size) {
            throw new IllegalArgumentException(what + ": " + b.length + " bytes given, the map's are " + size);
        }
        return b;
    }

    private static int number(String s) {
        if (s.startsWith("0x") || s.startsWith("0X")) return Integer.parseInt(s.substring(2), 16);
        if (s.length() > 1 && s.startsWith("0")) return Integer.parseInt(s.substring(1), 8);
        return Integer.parseInt(s);
    }

    static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
