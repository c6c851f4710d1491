package dev.glint.bench;

import dev.glint.shared.media.ImageProcessor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs in a child JVM (so its peak memory can be measured alone): makes every rendition of one image
 * with the media worker's {@link ImageProcessor}, first once cold, then warm-up runs, then timed runs,
 * and writes the last renditions beside the other tools' for a look.
 */
public final class ThumbnailWorker {

    static final String MARKER = "GLINT-THUMBNAILS";

    private ThumbnailWorker() {
    }

    public static void main(String[] args) throws Exception {
        byte[] original = Files.readAllBytes(Path.of(args[0]));
        int warmups = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        Path outDir = Path.of(args[3]);
        ImageProcessor processor = new ImageProcessor();
        long start = System.nanoTime();
        Map<String, byte[]> renditions = renditions(processor.process(original));
        double first = (System.nanoTime() - start) / 1e6;
        for (int i = 0; i < warmups; i++) {
            renditions(processor.process(original));
        }
        List<String> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            renditions = renditions(processor.process(original));
            times.add(String.format("%.2f", (System.nanoTime() - t) / 1e6));
        }
        Files.createDirectories(outDir);
        for (var rendition : renditions.entrySet()) {
            Files.write(outDir.resolve("glint-" + rendition.getKey() + ".jpg"), rendition.getValue());
        }
        System.out.println(MARKER + " first=" + String.format("%.2f", first) + " runs=" + String.join(",", times));
    }

    private static Map<String, byte[]> renditions(ImageProcessor.Result result) {
        if (result instanceof ImageProcessor.Processed processed) {
            return processed.renditions();
        }
        throw new IllegalStateException("the image was refused: " + ((ImageProcessor.Rejected) result).reason());
    }
}
