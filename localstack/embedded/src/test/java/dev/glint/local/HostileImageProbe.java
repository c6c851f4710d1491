package dev.glint.local;

import dev.glint.shared.media.ImageProcessor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the media worker's image processing over files, one line per file ("name: outcome"), so a
 * test can run it in a child JVM with a small heap: if any hostile file made the decoder allocate
 * for the pixels its header claims, the child would die of OutOfMemoryError instead of answering.
 */
public final class HostileImageProbe {

    private HostileImageProbe() {
    }

    public static void main(String[] args) throws Exception {
        ImageProcessor processor = new ImageProcessor();
        for (String file : args) {
            byte[] bytes = Files.readAllBytes(Path.of(file));
            ImageProcessor.Result result = processor.process(bytes);
            String outcome = result instanceof ImageProcessor.Rejected rejected ? "rejected: " + rejected.reason() : "processed";
            Runtime runtime = Runtime.getRuntime();
            System.out.println(Path.of(file).getFileName() + ": " + outcome + " (heap used "
                    + (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024) + " MB of " + runtime.maxMemory() / (1024 * 1024) + " MB)");
        }
    }
}
