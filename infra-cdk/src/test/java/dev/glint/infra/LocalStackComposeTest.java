package dev.glint.infra;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LocalStack image is pinned: an exact version, never a moving tag. */
class LocalStackComposeTest {

    @Test
    void theComposeFilePinsAnExactLocalStackRelease() throws Exception {
        String image = LocalStackDeployIT.composeImage();
        assertTrue(image.matches("localstack/localstack(-pro)?:\\d+\\.\\d+\\.\\d+"), image);
    }
}
