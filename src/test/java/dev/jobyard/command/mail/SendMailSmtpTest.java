package dev.jobyard.command.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

import dev.jobyard.command.CommandJobs;
import dev.jobyard.command.CommandsEnabled;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** send_mail through a real SMTP server on this machine, with a login from configuration. */
@QuarkusTest
@TestProfile(RealSmtp.class)
class SendMailSmtpTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(new ServerSetup(RealSmtp.PORT, "127.0.0.1", "smtp"))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(RealSmtp.USER, RealSmtp.PASSWORD));

    @Test
    void theServerReceivesTheMailWithEveryRecipientAndAFileAttachment() throws Exception {
        Path file = Files.writeString(CommandsEnabled.FILES.resolve("summary-" + UUID.randomUUID() + ".txt"), "all good\n");

        String id = CommandJobs.create("send_mail", Map.of("to", List.of("ops@example.com"), "cc", List.of("lead@example.com"),
                "bcc", List.of("audit@example.com"), "subject", "Job summary", "html", "<b>done</b>",
                "attachments", List.of(Map.of("path", file.toString(), "contentType", "text/plain"))));

        CommandJobs.finished(id, "COMPLETED");
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertEquals(3, received.length, "one delivery per recipient, bcc included");
        MimeMessage mail = received[0];
        assertEquals("Job summary", mail.getSubject());
        assertEquals("jobyard@example.com", mail.getFrom()[0].toString());
        assertEquals(List.of("ops@example.com"), addresses(mail.getRecipients(Message.RecipientType.TO)));
        assertEquals(List.of("lead@example.com"), addresses(mail.getRecipients(Message.RecipientType.CC)));
        assertEquals(null, mail.getRecipients(Message.RecipientType.BCC), "bcc is not shown to the recipients");
        String content = describe(mail);
        assertTrue(content.contains("<b>done</b>"), content);
        assertTrue(content.contains("attachment " + file.getFileName() + ": all good"), content);
    }

    @Test
    void lineBreaksInAnyHeaderFieldAreRefusedAndNothingIsSent() {
        // given the attack of issue 14: a second message smuggled through an attachment's content type
        String smuggled = "text/plain\r\n\r\n.\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nSubject: forged";
        String base64 = java.util.Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> mail = Map.of("to", List.of("ops@example.com"), "subject", "s", "text", "t");

        String contentType = CommandJobs.refusal("send_mail", with(mail, "attachments",
                List.of(Map.of("name", "a.txt", "base64", base64, "contentType", smuggled))));
        String fileName = CommandJobs.refusal("send_mail", with(mail, "attachments",
                List.of(Map.of("name", "a.txt\r\nBcc: victim@example.com", "base64", base64))));
        String subject = CommandJobs.refusal("send_mail", with(mail, "subject", "hello\nBcc: victim@example.com"));
        String to = CommandJobs.refusal("send_mail", with(mail, "to", List.of("ops@example.com\r\nBcc: victim@example.com")));
        String from = CommandJobs.refusal("send_mail", with(mail, "from", "a@example.com\rX: y"));

        assertEquals("input.payload.attachments[0].contentType: contains a control character (U+000D at 10); header fields may not"
                + " hold line breaks or other control characters", contentType);
        assertTrue(fileName.startsWith("input.payload.attachments[0].name: contains a control character"), fileName);
        assertTrue(subject.startsWith("input.payload.subject: contains a control character (U+000A at 5)"), subject);
        assertTrue(to.startsWith("input.payload.to[0]: contains a control character"), to);
        assertTrue(from.startsWith("input.payload.from: contains a control character"), from);
        assertEquals(0, SMTP.getReceivedMessages().length);
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static List<String> addresses(Address[] addresses) {
        return Arrays.stream(addresses).map(Address::toString).toList();
    }

    /** The parts of a message as text: bodies as they are, attachments as "attachment name: content". */
    private static String describe(Part part) throws Exception {
        if (part.getContent() instanceof Multipart multipart) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                text.append(describe(multipart.getBodyPart(i))).append('\n');
            }
            return text.toString();
        }
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return "attachment " + part.getFileName() + ": "
                    + new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        return String.valueOf(part.getContent());
    }
}
