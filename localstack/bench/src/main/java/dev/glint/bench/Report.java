package dev.glint.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's result: one table for people (printed aligned) and the same figures, with any detail,
 * as JSON under {@code target/bench/NAME.json}. Checks are the targets, reported as met or missed.
 */
public final class Report {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A target and whether this run met it. */
    public record Check(String target, boolean met, String detail) {
    }

    private final String name;
    private final String title;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Report> companions = new ArrayList<>();

    Report(String name, String title, List<String> columns) {
        this.name = name;
        this.title = title;
        this.columns = List.copyOf(columns);
    }

    /** Adds a table row and its machine-readable record. */
    Report row(List<String> cells, Map<String, Object> record) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, table has " + columns.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        records.add(record);
        return this;
    }

    Report detail(String key, Object value) {
        details.put(key, value);
        return this;
    }

    Report check(String target, boolean met, String detail) {
        checks.add(new Check(target, met, detail));
        return this;
    }

    Report note(String note) {
        notes.add(note);
        return this;
    }

    public String name() {
        return name;
    }

    public List<Map<String, Object>> records() {
        return records;
    }

    public Map<String, Object> details() {
        return details;
    }

    public List<Check> checks() {
        return checks;
    }

    public int failedChecks() {
        return (int) checks.stream().filter(c -> !c.met()).count() + companions.stream().mapToInt(Report::failedChecks).sum();
    }

    /** Another table of the same benchmark: printed after this one, written beside it as its own NAME.json. */
    Report also(Report companion) {
        companions.add(companion);
        return this;
    }

    public List<Report> companions() {
        return companions;
    }

    void print(PrintStream out) {
        out.println("== " + title + " ==");
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = columns.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(columns, widths));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.println(rule);
        rows.forEach(row -> out.println(line(row, widths)));
        checks.forEach(c -> out.println((c.met() ? "  [met]    " : "  [MISSED] ") + c.target() + " - " + c.detail()));
        notes.forEach(n -> out.println("  note: " + n));
        for (Report companion : companions) {
            out.println();
            companion.print(out);
        }
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.length());
            // Text left, figures right: columns read down like a spreadsheet.
            boolean numeric = !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || cell.charAt(0) == '$'
                    || cell.charAt(0) == '-' && cell.length() > 1);
            line.append(i == 0 ? "" : "  ").append(numeric ? pad + cell : cell + pad);
        }
        return line.toString().stripTrailing();
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", name);
        json.put("title", title);
        json.put("measuredAt", Instant.now().toString());
        json.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        json.put("columns", columns);
        json.put("rows", records);
        json.put("checks", checks);
        json.put("notes", notes);
        json.put("details", details);
        Path file = dir.resolve(name + ".json");
        JSON.writeValue(file.toFile(), json);
        for (Report companion : companions) {
            companion.write(dir);
        }
        return file;
    }

    static String ms(double millis) {
        return millis >= 100 ? String.format("%.0f", millis) : String.format("%.1f", millis);
    }

    static String fixed(double value, int decimals) {
        return String.format("%." + decimals + "f", value);
    }
}
