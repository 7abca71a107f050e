package io.bpf4j.it.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One test program of the bpf_conformance suite: its {@code -- asm} section (with the line
 * number it starts at), its {@code -- raw} words, its input memory and its expected result.
 */
record ConformanceFile(Path path, List<String> asm, int asmFirstLine, long[] raw, byte[] memory, Long result,
        boolean expectsError) {

    static ConformanceFile parse(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path);
        List<String> asm = new ArrayList<>();
        List<Long> raw = new ArrayList<>();
        StringBuilder mem = new StringBuilder();
        StringBuilder result = new StringBuilder();
        boolean error = false;
        int asmFirst = -1;
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("-- ")) {
                section = line.substring(3).strip();
                if (section.equals("asm")) {
                    asmFirst = i + 2;
                }
                if (section.equals("error")) {
                    error = true;
                }
                continue;
            }
            String data = line.strip();
            switch (section) {
                case "asm":
                    asm.add(line);
                    break;
                case "raw":
                    if (!data.isEmpty() && !data.startsWith("#")) {
                        raw.add(Long.parseUnsignedLong(data.replaceFirst("^0[xX]", ""), 16));
                    }
                    break;
                case "mem":
                    if (!data.startsWith("#")) {
                        mem.append(' ').append(data);
                    }
                    break;
                case "result":
                    if (!data.isEmpty() && !data.startsWith("#")) {
                        result.append(data);
                    }
                    break;
                default:
                    break;
            }
        }
        String hex = mem.toString().strip();
        byte[] memory = new byte[0];
        if (!hex.isEmpty()) {
            String[] bytes = hex.split("\\s+");
            memory = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                memory[i] = (byte) Integer.parseInt(bytes[i], 16);
            }
        }
        Long expected = null;
        if (result.length() > 0) {
            expected = Long.parseUnsignedLong(result.toString().replaceFirst("^0[xX]", ""), 16);
        }
        long[] words = raw.stream().mapToLong(Long::longValue).toArray();
        return new ConformanceFile(path, asm, asmFirst, words, memory, expected, error);
    }

    String name() {
        return path.getFileName().toString();
    }
}
