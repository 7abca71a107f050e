package io.bpf4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;

/**
 * A {@code --sim-state} file, open and locked: the simulated machine (CPU count, hash seed) and
 * the journal of the commands that changed its state, in order.
 *
 * <p>The file is text, one record a line, so a user can read what a session did:
 *
 * <pre>
 * bpf4j-sim-state 1
 * 6c1a09b2 cpus 2
 * 0e2f5d11 seed 8153004410928274637
 * 5a0c7e3f file prog.o f0VMRgIBAQAAAAAAAAAAAAEA9wABAAAAAAAAAAAAAAAAAA...
 * 91ab02c4 run 0 object load prog.o --pin /sys/fs/bpf/agent
 * 33de10a8 run 0 map update /sys/fs/bpf/agent/counts 01000000 2a00000000000000
 * </pre>
 *
 * <p>Each line after the first starts with the CRC-32 of the rest of it, so a file cut short by
 * an interrupted write, edited by hand or written by something else is refused with its line
 * number rather than replayed into a different state. Arguments are percent-encoded (anything
 * but letters, digits and {@code ._/:=,@+-~}), files read by a command are kept in base64 in a
 * {@code file} line before its {@code run} line, so the session does not depend on them staying
 * where they were.
 *
 * <p>The file is locked for the whole command, replay included: two commands on one session, in
 * one process or in two, run one after the other. Records are appended, never rewritten.
 */
final class SimState implements AutoCloseable {
    static final String MAGIC = "bpf4j-sim-state 1";

    /**
     * One journaled command.
     *
     * @param args its arguments, without {@code --sim-state}
     * @param exit the exit code it had, which its replay must have again
     * @param files the contents of the files it read, by the argument that named them
     */
    record Entry(List<String> args, int exit, Map<String, byte[]> files) {
    }

    /** A state file that is not one, or is damaged: exit 2, naming the file and the line. */
    static final class Corrupt extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Corrupt(Path file, String why) {
            super("--sim-state: " + file + " " + why);
        }
    }

    /** FileChannel locks are per process; threads of one process wait on this first. */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final ReentrantLock threadLock;
    private final FileLock lock;
    private int cpus;
    private long seed;
    private final List<Entry> entries = new ArrayList<>();

    private SimState(Path file, FileChannel channel, ReentrantLock threadLock, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.threadLock = threadLock;
        this.lock = lock;
    }

    /**
     * Opens (creating when missing or empty) and locks a state file, waiting for other commands
     * on it to finish, and reads it.
     *
     * @param file the file
     * @param newCpus the CPU count to record when the file is new
     * @param newSeed the hash seed to record when the file is new
     * @throws Corrupt when the file is not a state file or is damaged
     * @throws IOException when it cannot be opened, read or written
     */
    static SimState open(Path file, java.util.function.IntSupplier newCpus, long newSeed) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock t = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        t.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
            SimState s = new SimState(file, ch, t, ch.lock());
            s.read(newCpus, newSeed);
            return s;
        } catch (IOException | RuntimeException | Error e) {
            if (ch != null) ch.close();
            t.unlock();
            throw e;
        }
    }

    int cpus() {
        return cpus;
    }

    long seed() {
        return seed;
    }

    List<Entry> entries() {
        return entries;
    }

    Path file() {
        return file;
    }

    private void read(java.util.function.IntSupplier newCpus, long newSeed) throws IOException {
        long size = channel.size();
        if (size == 0) {
            cpus = newCpus.getAsInt();
            seed = newSeed;
            write(MAGIC + "\n" + line("cpus " + cpus) + line("seed " + seed));
            return;
        }
        if (size > Integer.MAX_VALUE - 8) throw new Corrupt(file, "is too large to be a simulator state file");
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && channel.read(buf, buf.position()) >= 0) {
            // read(ByteBuffer, long) advances the buffer's position itself
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        if (!text.startsWith(MAGIC + "\n")) {
            throw new Corrupt(file, "is not a bpf4j simulator state file (its first line is not '" + MAGIC + "');"
                    + " it is left as it is");
        }
        if (!text.endsWith("\n")) throw new Corrupt(file, "ends in the middle of a line (an interrupted write?)");
        String[] lines = text.substring(MAGIC.length() + 1).split("\n", -1);
        Map<String, byte[]> files = new LinkedHashMap<>();
        boolean haveCpus = false;
        boolean haveSeed = false;
        for (int i = 0; i < lines.length - 1; i++) {
            int no = i + 2;
            String payload = checked(lines[i], no);
            String[] f = payload.split(" ", -1);
            try {
                switch (f[0]) {
                    case "cpus" -> {
                        cpus = Integer.parseInt(f[1]);
                        if (cpus < 1 || cpus > 8192 || f.length != 2) throw new NumberFormatException();
                        haveCpus = true;
                    }
                    case "seed" -> {
                        seed = Long.parseLong(f[1]);
                        if (f.length != 2) throw new NumberFormatException();
                        haveSeed = true;
                    }
                    case "file" -> {
                        if (f.length != 3) throw new IllegalArgumentException();
                        files.put(decode(f[1]), Base64.getDecoder().decode(f[2]));
                    }
                    case "run" -> {
                        List<String> args = new ArrayList<>();
                        for (int a = 2; a < f.length; a++) args.add(decode(f[a]));
                        if (args.isEmpty()) throw new IllegalArgumentException();
                        entries.add(new Entry(List.copyOf(args), Integer.parseInt(f[1]), files));
                        files = new LinkedHashMap<>();
                    }
                    default -> throw new Corrupt(file, "line " + no + ": unknown record '" + f[0] + "'");
                }
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                if (e instanceof Corrupt c) throw c;
                throw new Corrupt(file, "line " + no + ": malformed '" + f[0] + "' record");
            }
        }
        if (!haveCpus || !haveSeed) throw new Corrupt(file, "lacks its cpus or seed record");
        if (!files.isEmpty()) throw new Corrupt(file, "ends with a file record that no command follows");
    }

    private String checked(String line, int no) {
        int sp = line.indexOf(' ');
        if (sp != 8) throw new Corrupt(file, "line " + no + ": no checksum");
        String payload = line.substring(9);
        if (!line.substring(0, 8).equals(crc(payload))) {
            throw new Corrupt(file, "line " + no + ": checksum mismatch (the file was changed or damaged)");
        }
        return payload;
    }

    /**
     * Appends a command to the journal and forces it to the disk.
     *
     * @param e the command
     */
    void append(Entry e) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, byte[]> f : e.files().entrySet()) {
            b.append(line("file " + encode(f.getKey()) + " " + Base64.getEncoder().encodeToString(f.getValue())));
        }
        StringBuilder run = new StringBuilder("run ").append(e.exit());
        for (String a : e.args()) run.append(' ').append(encode(a));
        b.append(line(run.toString()));
        write(b.toString());
        entries.add(e);
    }

    private void write(String s) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        long at = channel.size();
        while (buf.hasRemaining()) at += channel.write(buf, at);
        channel.force(false);
    }

    static String line(String payload) {
        return crc(payload) + " " + payload + "\n";
    }

    private static String crc(String payload) {
        CRC32 c = new CRC32();
        c.update(payload.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }

    static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "._/:=,@+-~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    static String decode(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) throw new IllegalArgumentException("a % without two hex digits");
                b.write(hi << 4 | lo);
                i += 2;
            } else {
                if (c > 0x7e || c <= ' ') throw new IllegalArgumentException();
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        } finally {
            threadLock.unlock();
        }
    }
}
