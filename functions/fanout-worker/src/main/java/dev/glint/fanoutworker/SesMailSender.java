package dev.glint.fanoutworker;

import dev.glint.shared.aws.AwsClients;
import dev.glint.shared.config.DigestSettings;
import dev.glint.shared.digest.MailSender;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * {@link MailSender} on the SES v2 API: {@code SendEmail} with Raw content, so the message's own MIME
 * (both parts, the unsubscribe headers) is what arrives. The sender is the stage's verified identity.
 */
public final class SesMailSender implements MailSender {

    private final SesV2Client ses;
    private final String from;

    public SesMailSender(SesV2Client ses, String from) {
        this.ses = ses;
        this.from = from;
    }

    /** A client with the function's credentials, region and interceptors; the local endpoint when set. */
    public static SesMailSender of(AwsClients clients, DigestSettings settings) {
        var builder = SesV2Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(clients.overrideConfiguration())
                .credentialsProvider(clients.credentials())
                .region(clients.region());
        settings.sesEndpoint().ifPresent(builder::endpointOverride);
        return new SesMailSender(builder.build(), settings.mailFrom());
    }

    @Override
    public String send(String to, byte[] raw) {
        return ses.sendEmail(r -> r.fromEmailAddress(from)
                .destination(d -> d.toAddresses(to))
                .content(c -> c.raw(m -> m.data(SdkBytes.fromByteArray(raw))))).messageId();
    }
}
