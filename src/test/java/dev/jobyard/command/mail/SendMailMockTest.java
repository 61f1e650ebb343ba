package dev.jobyard.command.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.jobyard.command.CommandJobs;
import io.quarkus.mailer.Mail;
import io.smallrye.mutiny.Multi;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;

/** send_mail into Quarkus' mock mailbox (the test-mode default): what the payload says is what is sent. */
@QuarkusTest
class SendMailMockTest {

    @Inject
    MockMailbox mailbox;

    @Test
    void aMailWithRecipientsBodyAndBase64AttachmentIsSent() {
        String to = "to-" + UUID.randomUUID() + "@example.com";
        byte[] report = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);

        String id = CommandJobs.create("send_mail", Map.of("to", List.of(to), "cc", List.of("cc@example.com"),
                "subject", "Nightly report", "text", "See attached.", "html", "<p>See attached.</p>",
                "attachments", List.of(Map.of("name", "report.csv", "base64", Base64.getEncoder().encodeToString(report),
                        "contentType", "text/csv"))));

        var job = CommandJobs.finished(id, "COMPLETED");
        List<Mail> sent = mailbox.getMailsSentTo(to);
        assertEquals(1, sent.size());
        Mail mail = sent.get(0);
        assertEquals("Nightly report", mail.getSubject());
        assertEquals("See attached.", mail.getText());
        assertEquals("<p>See attached.</p>", mail.getHtml());
        assertEquals(List.of("cc@example.com"), mail.getCc());
        assertEquals("report.csv", mail.getAttachments().get(0).getName());
        List<Byte> data = Multi.createFrom().publisher(mail.getAttachments().get(0).getData()).collect().asList().await().indefinitely();
        byte[] bytes = new byte[data.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = data.get(i);
        }
        assertArrayEquals(report, bytes);
        assertEquals(1, job.getInt("result.attachments"));
    }

    @Test
    void aMailWithoutRecipientsOrBodyIsRefusedAtCreation() {
        assertEquals("input.payload.to: at least one recipient (to, cc or bcc) is needed",
                CommandJobs.refusal("send_mail", Map.of("subject", "s", "text", "t")));
        assertEquals("input.payload.text: give text, html or both",
                CommandJobs.refusal("send_mail", Map.of("to", List.of("a@example.com"), "subject", "s")));
        assertEquals("input.payload.attachments[0].base64: is not base64: Illegal base64 character 21",
                CommandJobs.refusal("send_mail", Map.of("to", List.of("a@example.com"), "subject", "s", "text", "t",
                        "attachments", List.of(Map.of("name", "x", "base64", "!!")))));
    }
}
