package dev.glint.archfixture.social;

import java.util.Map;

/** Planted: a domain class that reads an item's attribute by name. */
public final class AttributeSpeller {

    public String entityOf(Map<String, String> item) {
        return item.get("entity");
    }
}
