package dev.glint.api;

import dev.glint.shared.aws.AwsClients;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Reads a secret's string once, at init (the media signing key). */
@FunctionalInterface
public interface Secrets {

    String secretString(String secretId);

    /** From AWS Secrets Manager with the function's credentials and region; the client is closed after the read. */
    static Secrets secretsManager(AwsClients clients) {
        return secretId -> {
            try (SecretsManagerClient client = SecretsManagerClient.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(clients.credentials())
                    .region(clients.region())
                    .build()) {
                return client.getSecretValue(request -> request.secretId(secretId)).secretString();
            }
        };
    }
}
