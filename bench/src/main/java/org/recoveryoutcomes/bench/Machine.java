package org.recoveryoutcomes.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on, and how busy it was (the machine may be shared). */
record Machine(int cores, String cpu, long memoryMb, String jvm, String os, String loadAverage) {

    static Machine now() {
        return new Machine(Runtime.getRuntime().availableProcessors(), firstValue("/proc/cpuinfo", "model name"),
                parseKb(firstValue("/proc/meminfo", "MemTotal")) / 1024,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), read("/proc/loadavg"));
    }

    private static String firstValue(String file, String key) {
        for (String line : lines(file)) {
            if (line.startsWith(key)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static long parseKb(String value) {
        String digits = value.replaceAll("\\D", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    private static String read(String file) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            return "unknown";
        }
        String[] parts = lines.get(0).split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : lines.get(0);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
