package dev.glint.bench;

import dev.glint.shared.media.ImageProcessor;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Thumbnails: every rendition (150 px square, 640 and 1080 px wide) of a 12 MP JPEG and of a large
 * PNG, by Glint's {@link ImageProcessor}, by {@code vipsthumbnail} and by ImageMagick's
 * {@code convert -thumbnail}, on the same files in the same run. Peak memory is the maximum resident
 * set size that {@code /usr/bin/time -v} reports for each process. Nothing is installed: a missing
 * tool is reported as missing.
 */
final class Thumbnails {

    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    static final int WIDTH = 4000;
    static final int HEIGHT = 3000;

    /** One tool on one image: wall times per run, peak RSS, and whether it ran at all. */
    record Measured(String tool, String image, List<Double> runsMs, long peakRssKb, String missing) {
        double median() {
            return Stats.median(runsMs);
        }
    }

    private Thumbnails() {
    }

    static Report run(Bench.Settings settings) throws Exception {
        Path dir = settings.out().resolve("thumbnails");
        Files.createDirectories(dir);
        int runs = settings.quick() ? 1 : 7;
        int warmups = settings.quick() ? 1 : 3;
        Map<String, Path> images = new LinkedHashMap<>();
        images.put("jpeg 4000x3000", source(dir.resolve("photo-12mp.jpg"), "jpeg"));
        if (!settings.quick()) {
            images.put("png 4000x3000", source(dir.resolve("large.png"), "png"));
        }
        boolean time = Files.isExecutable(Path.of("/usr/bin/time"));
        String vipsMissing = works(List.of("vipsthumbnail", "--version"), "vips") ? null : "missing: install libvips-tools";
        String magickMissing = works(List.of("convert", "-version"), "ImageMagick") ? null : "missing: install imagemagick";

        List<Measured> all = new ArrayList<>();
        Map<String, Double> glintFirst = new LinkedHashMap<>();
        for (var image : images.entrySet()) {
            Path out = dir.resolve(image.getValue().getFileName().toString().replace('.', '-'));
            Files.createDirectories(out);
            all.add(glint(settings, image.getKey(), image.getValue(), out, warmups, runs, time, glintFirst));
            all.add(vipsMissing != null ? new Measured("vips", image.getKey(), List.of(), 0, vipsMissing)
                    : cli("vips", image.getKey(), vipsCommands(image.getValue(), out), runs, warmups, time));
            all.add(magickMissing != null ? new Measured("imagemagick", image.getKey(), List.of(), 0, magickMissing)
                    : cli("imagemagick", image.getKey(), List.of(magickCommand(image.getValue(), out)), runs, warmups, time));
        }
        return report(all, glintFirst, runs, time);
    }

    private static Report report(List<Measured> all, Map<String, Double> glintFirst, int runs, boolean time) {
        Report report = new Report("thumbnails", "Thumbnails: all three renditions of one image, median of " + runs
                + " runs, against vipsthumbnail and ImageMagick on the same files",
                List.of("image", "tool", "median ms", "min-max ms", "peak RSS MB", "Glint / tool"));
        boolean fasterThanMagick = true;
        boolean withinVips = true;
        boolean anyMagick = false;
        boolean anyVips = false;
        for (Measured m : all) {
            Measured glint = all.stream().filter(g -> g.tool().equals("glint") && g.image().equals(m.image())).findFirst().orElseThrow();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("image", m.image());
            record.put("tool", m.tool());
            if (m.missing() != null) {
                record.put("missing", m.missing());
                report.row(List.of(m.image(), m.tool(), m.missing(), "", "", ""), record);
                continue;
            }
            double ratio = glint.median() / m.median();
            record.put("medianMs", m.median());
            record.put("runsMs", m.runsMs());
            record.put("peakRssKb", m.peakRssKb());
            record.put("glintOverTool", ratio);
            if (m.tool().equals("glint")) {
                record.put("firstRunInFreshJvmMs", glintFirst.get(m.image()));
            }
            report.row(List.of(m.image(), m.tool(), Report.ms(m.median()),
                    Report.ms(Stats.min(m.runsMs())) + "-" + Report.ms(Stats.max(m.runsMs())),
                    m.peakRssKb() > 0 ? Report.fixed(m.peakRssKb() / 1024.0, 0) : "n/a",
                    m.tool().equals("glint") ? "" : Report.fixed(ratio, 2)), record);
            if (m.tool().equals("imagemagick")) {
                anyMagick = true;
                fasterThanMagick &= ratio < 1.0;
            } else if (m.tool().equals("vips")) {
                anyVips = true;
                withinVips &= ratio <= 2.0;
            }
        }
        if (anyMagick) {
            report.check("faster than ImageMagick", fasterThanMagick, ratios(all, "imagemagick"));
        } else {
            report.note("ImageMagick missing: install imagemagick to compare");
        }
        if (anyVips) {
            report.check("within 2x of vips", withinVips, ratios(all, "vips"));
        } else {
            report.note("vips missing: install libvips-tools to compare");
        }
        report.note("Glint: warm runs in one JVM (a warm media worker), after warm-up; its peak RSS is that whole JVM's."
                + " The tools: one process per run (vipsthumbnail once per rendition, convert once for all three), start-up included");
        glintFirst.forEach((image, ms) -> report.note("Glint's first run in a fresh JVM (" + image + "): " + Report.ms(ms) + " ms"));
        if (!time) {
            report.note("/usr/bin/time missing: no peak memory");
        }
        return report;
    }

    private static String ratios(List<Measured> all, String tool) {
        List<String> parts = new ArrayList<>();
        for (Measured m : all) {
            if (m.tool().equals(tool) && m.missing() == null) {
                Measured glint = all.stream().filter(g -> g.tool().equals("glint") && g.image().equals(m.image())).findFirst().orElseThrow();
                parts.add(m.image() + ": Glint/" + tool + " " + Report.fixed(glint.median() / m.median(), 2));
            }
        }
        return String.join("; ", parts);
    }

    private static Measured glint(Bench.Settings settings, String name, Path image, Path out, int warmups, int runs,
                                  boolean time, Map<String, Double> first) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (time) {
            command.addAll(List.of("/usr/bin/time", "-v"));
        }
        // The media worker's memory on Lambda is 2 GB; the heap gets what Lambda's JVM would give it.
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1536m",
                "-cp", System.getProperty("java.class.path"), ThumbnailWorker.class.getName(),
                image.toString(), Integer.toString(warmups), Integer.toString(runs), out.toString()));
        Result result = exec(command);
        if (result.exit() != 0) {
            throw new IllegalStateException("the Glint thumbnail run failed: " + result.err());
        }
        String line = result.out().lines().filter(l -> l.startsWith(ThumbnailWorker.MARKER)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result from the Glint run: " + result.err()));
        Matcher m = Pattern.compile("first=([0-9.]+) runs=([0-9.,]+)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("unreadable result " + line);
        }
        first.put(name, Double.parseDouble(m.group(1)));
        List<Double> times = new ArrayList<>();
        for (String t : m.group(2).split(",")) {
            times.add(Double.parseDouble(t));
        }
        return new Measured("glint", name, times, rss(result.err()), null);
    }

    /** Runs the commands in order, {@code warmups} times untimed and {@code runs} times timed; a run is all of them. */
    private static Measured cli(String tool, String name, List<List<String>> commands, int runs, int warmups, boolean time)
            throws IOException, InterruptedException {
        List<Double> times = new ArrayList<>();
        long peak = 0;
        for (int i = 0; i < warmups + runs; i++) {
            long started = System.nanoTime();
            for (List<String> command : commands) {
                List<String> full = new ArrayList<>();
                if (time) {
                    full.addAll(List.of("/usr/bin/time", "-v"));
                }
                full.addAll(command);
                Result result = exec(full);
                if (result.exit() != 0) {
                    throw new IllegalStateException(tool + " failed: " + String.join(" ", command) + ": " + result.err());
                }
                peak = Math.max(peak, rss(result.err()));
            }
            if (i >= warmups) {
                times.add((System.nanoTime() - started) / 1e6);
            }
        }
        return new Measured(tool, name, times, peak, null);
    }

    static List<List<String>> vipsCommands(Path image, Path out) {
        List<List<String>> commands = new ArrayList<>();
        for (ImageProcessor.Rendition r : ImageProcessor.RENDITIONS) {
            String target = out.resolve("vips-" + r.name() + ".jpg") + "[Q=85,strip]";
            commands.add(r.square()
                    ? List.of("vipsthumbnail", image.toString(), "--size", r.size() + "x" + r.size(), "--smartcrop", "centre", "-o", target)
                    : List.of("vipsthumbnail", image.toString(), "--size", r.size() + "x", "-o", target));
        }
        return commands;
    }

    /** One convert process for all three: the original is decoded once, as Glint decodes it once. */
    static List<String> magickCommand(Path image, Path out) {
        List<String> command = new ArrayList<>(List.of("convert", image.toString(), "-auto-orient", "-strip", "-quality", "85"));
        for (ImageProcessor.Rendition r : ImageProcessor.RENDITIONS) {
            String target = out.resolve("magick-" + r.name() + ".jpg").toString();
            if (r.square()) {
                command.addAll(List.of("(", "+clone", "-thumbnail", r.size() + "x" + r.size() + "^", "-gravity", "center",
                        "-extent", r.size() + "x" + r.size(), "-write", target, "+delete", ")"));
            } else {
                command.addAll(List.of("(", "+clone", "-thumbnail", r.size() + "x", "-write", target, "+delete", ")"));
            }
        }
        command.addAll(List.of("null:"));
        return command;
    }

    record Result(int exit, String out, String err) {
    }

    private static Result exec(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Path err = Files.createTempFile("glint-bench", ".err");
        try {
            builder.redirectError(err.toFile());
            Process process = builder.start();
            String out;
            try (InputStream in = process.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within 300 s");
            }
            return new Result(process.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static long rss(String timeOutput) {
        Matcher m = MAX_RSS.matcher(timeOutput);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static boolean works(List<String> command, String expected) {
        try {
            Result result = exec(command);
            return result.exit() == 0 && (result.out() + result.err()).contains(expected);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The source image, made once and kept: a photo-like picture (gradients, shapes and sensor-like noise). */
    static Path source(Path file, String format) throws IOException {
        if (Files.isRegularFile(file)) {
            return file;
        }
        BufferedImage image = photo(WIDTH, HEIGHT, 8);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (format.equals("jpeg")) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.92f);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
        } else {
            ImageIO.write(image, format, tmp.toFile());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    static BufferedImage photo(int width, int height, int noise) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 160), 0, height * 0.6f, new Color(230, 200, 150)));
        g.fillRect(0, 0, width, height);
        Random random = new Random(42);
        for (int i = 0; i < 120; i++) {
            Color a = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
            Color b = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            int w = 50 + random.nextInt(width / 4);
            int h = 50 + random.nextInt(height / 4);
            g.setPaint(new GradientPaint(x, y, a, x + w, y + h, b));
            if (i % 2 == 0) {
                g.fillOval(x, y, w, h);
            } else {
                g.fillRect(x, y, w, h);
            }
        }
        g.dispose();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int p = row[x];
                int n = random.nextInt(2 * noise + 1) - noise;
                row[x] = (clamp((p >> 16 & 0xFF) + n) << 16) | (clamp((p >> 8 & 0xFF) + n) << 8) | clamp((p & 0xFF) + n);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
