package dev.glint.shared.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architecture rules can fail: each is checked against classes planted to break it (in
 * {@code dev.glint.archfixture}, test sources only) and must report them, and must pass the classes
 * that break nothing.
 */
class PlantedViolationsTest {

    private static final String ROOT = "dev.glint.archfixture";
    private static final JavaClasses PLANTED = new ClassFileImporter().importPackages(ROOT);

    @Test
    void aPlantedPackageCycleIsFound() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> ArchitectureRules.noPackageCycles(ROOT).check(PLANTED));
        assertTrue(error.getMessage().contains("Cycle detected"), error.getMessage());
        assertDoesNotThrow(() -> ArchitectureRules.noPackageCycles(ROOT)
                .check(new ClassFileImporter().importPackages(ROOT + ".social", ROOT + ".aws")));
    }

    @Test
    void aPlantedKeyUseOutsideTheAdapterIsFound() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> ArchitectureRules.onlyAdaptersKnowKeys(ROOT).check(PLANTED));
        assertTrue(error.getMessage().contains("KeyUser"), error.getMessage());
    }

    @Test
    void aPlantedAttributeNameOutsideTheAdapterIsFound() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> ArchitectureRules.onlyAdaptersSpellAttributeNames(ROOT).check(PLANTED));
        assertTrue(error.getMessage().contains("AttributeSpeller spells the attribute name \"entity\""), error.getMessage());
        assertTrue(!error.getMessage().contains("Clean "), "a sentence that contains a name is no attribute name");
        assertTrue(!error.getMessage().contains("archfixture.aws.Keys"), "the adapter may spell them");
    }
}
