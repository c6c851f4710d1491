package dev.glint.shared.reports;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A HyperLogLog sketch of distinct ids (2,048 registers, about 2 % standard error): a day's active
 * users in 2 KB instead of every id. Adding an id twice, or merging a sketch twice, changes nothing,
 * so it is safe under at-least-once delivery.
 */
public final class HyperLogLog {

    static final int P = 11;
    static final int M = 1 << P;
    private final byte[] registers;

    public HyperLogLog() {
        this.registers = new byte[M];
    }

    private HyperLogLog(byte[] registers) {
        this.registers = registers;
    }

    public static HyperLogLog of(byte[] registers) {
        if (registers.length != M) {
            throw new IllegalArgumentException("a sketch has " + M + " registers, not " + registers.length);
        }
        return new HyperLogLog(registers.clone());
    }

    public byte[] registers() {
        return registers.clone();
    }

    public void add(String id) {
        long hash = hash(id);
        int index = (int) (hash >>> (64 - P));
        long rest = (hash << P) | (1L << (P - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
        if (rank > registers[index]) {
            registers[index] = rank;
        }
    }

    /** Takes every register's maximum: the sketch of the union. */
    public void merge(HyperLogLog other) {
        for (int i = 0; i < M; i++) {
            registers[i] = (byte) Math.max(registers[i], other.registers[i]);
        }
    }

    public long estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte register : registers) {
            sum += 1.0 / (1L << register);
            if (register == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / M);
        double estimate = alpha * M * M / sum;
        if (estimate <= 2.5 * M && zeros > 0) {
            estimate = M * Math.log((double) M / zeros);
        }
        return Math.round(estimate);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HyperLogLog h && Arrays.equals(registers, h.registers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(registers);
    }

    /** 64-bit FNV-1a followed by a MurmurHash3 finalizer, for well-mixed bits. */
    static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
