package dev.glint.shared.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The domain library's shape: the domain free of AWS and Lambda types and of the adapters, features
 * importing each other in no circle, and the item layout (keys, attribute names) known to the AWS
 * adapters alone.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.glint.shared";
    private static final JavaClasses SHARED = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void domainImportsNoAwsType() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".aws..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .check(SHARED);
    }

    @Test
    void nothingInSharedKnowsLambda() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.amazonaws.services.lambda..")
                .check(SHARED);
    }

    @Test
    void domainDoesNotDependOnAdapters() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".aws..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".aws..")
                .check(SHARED);
    }

    @Test
    void featurePackagesFormNoCycle() {
        ArchitectureRules.noPackageCycles(ROOT).check(SHARED);
    }

    @Test
    void onlyTheAdaptersBuildKeys() {
        ArchitectureRules.onlyAdaptersKnowKeys(ROOT).check(SHARED);
    }

    @Test
    void onlyTheAdaptersSpellAttributeNames() {
        ArchitectureRules.onlyAdaptersSpellAttributeNames(ROOT).check(SHARED);
    }
}
