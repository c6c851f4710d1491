package dev.glint.shared;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps the domain free of AWS and Lambda types: adapters live in {@code dev.glint.shared.aws} only. */
class ArchitectureTest {

    private static final JavaClasses SHARED = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.glint.shared");

    @Test
    void domainImportsNoAwsType() {
        noClasses().that().resideOutsideOfPackage("dev.glint.shared.aws..")
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
        noClasses().that().resideOutsideOfPackage("dev.glint.shared.aws..")
                .should().dependOnClassesThat().resideInAPackage("dev.glint.shared.aws..")
                .check(SHARED);
    }
}
