package dev.glint.bench;

import dev.glint.shared.media.ImageProcessor;
import dev.glint.shared.resources.GlintResources;

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
 * Thumbnails: every rendition (150 px square, 640 and 1080 px wide) of 12 MP JPEGs (a photo-like
 * picture, and fine detail that shows aliasing: a zone plate, fine text, a woven texture) and of a
 * large PNG, by Glint's {@link ImageProcessor}, by {@code vipsthumbnail} and by ImageMagick's
 * {@code convert -thumbnail}, on the same files in the same run, with each rendition's PSNR and SSIM
 * against a Lanczos-3 reference from the full decode ({@link Quality}). Peak memory is the maximum
 * resident set size that {@code /usr/bin/time -v} reports for each process, the media worker's set
 * against its Lambda memory. Nothing is installed: a missing tool is reported as missing.
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
        images.put("jpeg 4000x3000", source(dir.resolve("photo-12mp.jpg"), "jpeg", "photo"));
        images.put("zone plate jpeg", source(dir.resolve("zone-plate-12mp.jpg"), "jpeg", "zone plate"));
        if (!settings.quick()) {
            images.put("fine text jpeg", source(dir.resolve("fine-text-12mp.jpg"), "jpeg", "fine text"));
            images.put("texture jpeg", source(dir.resolve("texture-12mp.jpg"), "jpeg", "texture"));
            images.put("png 4000x3000", source(dir.resolve("large.png"), "png", "photo"));
        }
        boolean time = Files.isExecutable(Path.of("/usr/bin/time"));
        String vipsMissing = works(List.of("vipsthumbnail", "--version"), "vips") ? null : "missing: install libvips-tools";
        String magickMissing = works(List.of("convert", "-version"), "ImageMagick") ? null : "missing: install imagemagick";

        List<Measured> all = new ArrayList<>();
        Map<String, Double> glintFirst = new LinkedHashMap<>();
        Map<String, Map<String, Quality.Score>> scores = new LinkedHashMap<>();
        for (var image : images.entrySet()) {
            Path out = dir.resolve(image.getValue().getFileName().toString().replace('.', '-'));
            Files.createDirectories(out);
            try (var stale = Files.list(out)) {
                for (Path file : stale.toList()) {
                    Files.delete(file);
                }
            }
            all.add(glint(settings, image.getKey(), image.getValue(), out, warmups, runs, time, glintFirst));
            all.add(vipsMissing != null ? new Measured("vips", image.getKey(), List.of(), 0, vipsMissing)
                    : cli("vips", image.getKey(), vipsCommands(image.getValue(), out), runs, warmups, time));
            all.add(magickMissing != null ? new Measured("imagemagick", image.getKey(), List.of(), 0, magickMissing)
                    : cli("imagemagick", image.getKey(), List.of(magickCommand(image.getValue(), out)), runs, warmups, time));
            Map<String, java.awt.image.BufferedImage> references = Quality.references(image.getValue());
            for (String tool : List.of("glint", "vips", "imagemagick")) {
                Map<String, Quality.Score> byRendition = new LinkedHashMap<>();
                for (var reference : references.entrySet()) {
                    String prefix = tool.equals("imagemagick") ? "magick" : tool;
                    byRendition.put(reference.getKey(), Quality.score(reference.getValue(), out.resolve(prefix + "-" + reference.getKey() + ".jpg")));
                }
                scores.put(image.getKey() + "|" + tool, byRendition);
            }
        }
        return report(all, glintFirst, scores, runs, time);
    }

    private static Report report(List<Measured> all, Map<String, Double> glintFirst,
                                 Map<String, Map<String, Quality.Score>> scores, int runs, boolean time) {
        String renditions = String.join("/", ImageProcessor.RENDITIONS.stream().map(ImageProcessor.Rendition::name).toList());
        Report report = new Report("thumbnails", "Thumbnails: all three renditions of one image, median of " + runs
                + " runs, against vipsthumbnail and ImageMagick on the same files; PSNR and SSIM against Lanczos-3 from the full decode",
                List.of("image", "tool", "median ms", "min-max ms", "peak RSS MB", "Glint / tool",
                        "PSNR dB " + renditions, "SSIM " + renditions));
        boolean fasterThanMagick = true;
        boolean withinVips = true;
        boolean asGoodAsVips = true;
        List<String> qualityGaps = new ArrayList<>();
        int lambdaMb = GlintResources.FUNCTIONS.stream().filter(f -> f.name().equals("media-worker"))
                .mapToInt(GlintResources.FunctionSpec::memoryMb).findFirst().orElseThrow();
        long glintPeakKb = 0;
        boolean anyMagick = false;
        boolean anyVips = false;
        for (Measured m : all) {
            Measured glint = all.stream().filter(g -> g.tool().equals("glint") && g.image().equals(m.image())).findFirst().orElseThrow();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("image", m.image());
            record.put("tool", m.tool());
            if (m.missing() != null) {
                record.put("missing", m.missing());
                report.row(List.of(m.image(), m.tool(), m.missing(), "", "", "", "", ""), record);
                continue;
            }
            Map<String, Quality.Score> score = scores.getOrDefault(m.image() + "|" + m.tool(), Map.of());
            Map<String, Object> quality = new LinkedHashMap<>();
            List<String> psnrs = new ArrayList<>();
            List<String> ssims = new ArrayList<>();
            for (var s : score.entrySet()) {
                Map<String, Object> q = new LinkedHashMap<>();
                if (s.getValue().note() != null) {
                    q.put("note", s.getValue().note());
                    psnrs.add("n/a");
                    ssims.add("n/a");
                } else {
                    q.put("psnrDb", s.getValue().psnr());
                    q.put("ssim", s.getValue().ssim());
                    psnrs.add(Report.fixed(s.getValue().psnr(), 2));
                    ssims.add(Report.fixed(s.getValue().ssim(), 3));
                }
                quality.put(s.getKey(), q);
            }
            record.put("quality", quality);
            if (m.tool().equals("vips")) {
                Map<String, Quality.Score> glintScore = scores.getOrDefault(m.image() + "|glint", Map.of());
                for (var s : score.entrySet()) {
                    Quality.Score g = glintScore.get(s.getKey());
                    double gap = g == null ? Double.NaN : g.psnr() - s.getValue().psnr();
                    if (Double.isNaN(s.getValue().psnr())) {
                        continue;
                    }
                    asGoodAsVips &= !Double.isNaN(gap) && gap >= -0.3;
                    qualityGaps.add(m.image() + " " + s.getKey() + " " + (gap >= 0 ? "+" : "") + Report.fixed(gap, 2) + " dB");
                }
            }
            if (m.tool().equals("glint")) {
                glintPeakKb = Math.max(glintPeakKb, m.peakRssKb());
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
                    m.tool().equals("glint") ? "" : Report.fixed(ratio, 2), String.join(" / ", psnrs), String.join(" / ", ssims)), record);
            if (m.tool().equals("imagemagick")) {
                anyMagick = true;
                fasterThanMagick &= ratio < 1.0;
            } else if (m.tool().equals("vips")) {
                anyVips = true;
                withinVips &= ratio <= 1.0;
            }
        }
        if (anyMagick) {
            report.check("faster than ImageMagick", fasterThanMagick, ratios(all, "imagemagick"));
        } else {
            report.note("ImageMagick missing: install imagemagick to compare");
        }
        if (anyVips) {
            report.check("Glint / vips time <= 1.0", withinVips, ratios(all, "vips"));
            report.check("every Glint rendition within 0.3 dB PSNR of vips's or better", asGoodAsVips,
                    "Glint minus vips: " + String.join("; ", qualityGaps));
        } else {
            report.note("vips missing: install libvips-tools to compare");
        }
        report.note("Glint: warm runs in one JVM (a warm media worker), after warm-up; its peak RSS is that whole JVM's."
                + " The tools: one process per run (vipsthumbnail once per rendition, convert once for all three), start-up included");
        glintFirst.forEach((image, ms) -> report.note("Glint's first run in a fresh JVM (" + image + "): " + Report.ms(ms) + " ms"));
        if (!time) {
            report.note("/usr/bin/time missing: no peak memory");
        } else {
            report.detail("mediaWorkerLambdaMb", lambdaMb);
            report.detail("glintPeakRssMb", glintPeakKb / 1024.0);
            report.check("Glint's peak RSS (the whole JVM) within the media worker's Lambda memory (" + lambdaMb + " MB)",
                    glintPeakKb / 1024.0 < lambdaMb, "peak " + Report.fixed(glintPeakKb / 1024.0, 0) + " MB of " + lambdaMb + " MB ("
                            + Report.fixed(100.0 * glintPeakKb / 1024.0 / lambdaMb, 0) + " %)");
        }
        report.note("Quality: each tool's renditions against Lanczos-3 of the full-resolution decode (no shrink, sRGB values),"
                + " the square one from the centred crop; PSNR over R, G, B; SSIM on luma, 8x8 windows every 4 px");
        report.note("Times: the tools run one after another on the same machine in the same run, so they share its load;"
                + " on a shared machine compare the ratios, not the milliseconds");
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
        // The heap may grow as on Lambda at the media worker's memory (GlintResources); the report compares the peak with it.
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
    static Path source(Path file, String format, String kind) throws IOException {
        if (Files.isRegularFile(file)) {
            return file;
        }
        BufferedImage image = switch (kind) {
            case "zone plate" -> Quality.zonePlate(WIDTH, HEIGHT);
            case "fine text" -> Quality.fineText(WIDTH, HEIGHT);
            case "texture" -> Quality.texture(WIDTH, HEIGHT);
            default -> photo(WIDTH, HEIGHT, 8);
        };
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
