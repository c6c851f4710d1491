package dev.glint.shared.reports;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopTagsTest {

    @Test
    void fewDistinctTagsAreCountedExactly() {
        TopTags sketch = TopTags.of(Map.of()).add(Map.of("sun", 2L, "sea", 1L)).add(Map.of("sun", 3L));
        assertEquals(Map.of("sun", 5L, "sea", 1L), sketch.counts());
    }

    @Test
    void aFloodOfInventedTagsNeitherGrowsTheSketchNorPushesOutATagEveryoneUses() {
        TopTags sketch = TopTags.of(Map.of());
        for (int batch = 0; batch < 300; batch++) {
            Map<String, Long> uses = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                uses.put("junk" + batch + "x" + i + "y".repeat(40), 1L);
            }
            uses.put("sunset", 1L);
            sketch.add(uses);
        }
        Map<String, Long> counts = sketch.counts();
        assertEquals(TopTags.CAPACITY, counts.size(), "bounded, whatever users invent");
        assertTrue(counts.get("sunset") >= 300, "a tag used in every batch stays, never under-counted: " + counts.get("sunset"));
        String top = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals("sunset", top);
    }

    @Test
    void shardsAreSummedTagByTag() {
        assertEquals(Map.of("a", 3L, "b", 1L), TopTags.sum(List.of(Map.of("a", 1L), Map.of("a", 2L, "b", 1L))));
    }
}
