package dev.glint.shared.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rules that keep the domain library's shape, each over a root package, so that the same rule
 * checks the real code ({@link ArchitectureTest}) and is shown to fail on planted violations
 * ({@link PlantedViolationsTest}).
 */
final class ArchitectureRules {

    /**
     * The names of the table's item layout that only the adapter may spell: the key attributes, the
     * TTL attribute and the attribute that says what an item is.
     */
    static final Set<String> LAYOUT_NAMES = Set.of("pk", "sk", "gsi1pk", "gsi1sk", "ttl", "entity");

    private ArchitectureRules() {
    }

    /** The feature packages under the root ({@code root.(*)..}) import each other in no circle. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /**
     * Only the adapter package ({@code root.aws..}) builds table and object keys: nothing else
     * depends on its {@code Keys} or {@code Key}.
     */
    static ArchRule onlyAdaptersKnowKeys(String root) {
        return noClasses().that().resideOutsideOfPackage(root + ".aws..")
                .should().dependOnClassesThat().haveFullyQualifiedName(root + ".aws.Keys")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(root + ".aws.Key")
                .because("the adapter owns the item layout: every key is built in one place");
    }

    /**
     * Only the adapter package spells the layout's attribute names: no other class has one of
     * {@link #LAYOUT_NAMES} as a string constant. The resource description ({@code root.resources..})
     * declares the table's key schema and is exempt.
     */
    static ArchRule onlyAdaptersSpellAttributeNames(String root) {
        return classes().that().resideOutsideOfPackages(root + ".aws..", root + ".resources..")
                .should(new ArchCondition<>("use none of the item layout's attribute names " + new TreeSet<>(LAYOUT_NAMES)) {
                    @Override
                    public void check(JavaClass javaClass, ConditionEvents events) {
                        for (String constant : stringConstants(javaClass)) {
                            if (LAYOUT_NAMES.contains(constant)) {
                                events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName()
                                        + " spells the attribute name \"" + constant + "\""));
                            }
                        }
                    }
                })
                .because("the adapter owns the item layout: attribute names appear only there");
    }

    /** The string literals of a class, read from the constant pool of its class file. */
    static List<String> stringConstants(JavaClass javaClass) {
        var source = javaClass.getSource().orElseThrow(() -> new IllegalStateException("no class file for " + javaClass));
        try (InputStream in = source.getUri().toURL().openStream()) {
            return stringConstants(new DataInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.getUri(), e);
        }
    }

    private static List<String> stringConstants(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 8 -> strings.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String> out = new ArrayList<>();
        strings.forEach(index -> out.add(utf8[index]));
        return out;
    }
}
