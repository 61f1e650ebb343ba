package dev.jobyard.command.mail;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobyard.command.Confinement;
import dev.jobyard.command.Payload;
import dev.jobyard.handler.JobContext;
import dev.jobyard.handler.JobHandler;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code send_mail}: {@code {"to": [...], "cc": [...], "bcc": [...], "from": "...", "subject": "...",
 * "text": "...", "html": "...", "attachments": [{"path": "..."} | {"name": "...", "base64": "...",
 * "contentType": "..."}]}}. Sent through Quarkus Mailer, so the SMTP server and its password are
 * operator configuration ({@code quarkus.mailer.*}), never part of a payload. File attachments must be
 * inside {@code jobyard.commands.files.directories}.
 */
@ApplicationScoped
public class SendMailCommand implements JobHandler {

    private final Mailer mailer;
    private final Confinement confinement;

    SendMailCommand(Mailer mailer, Confinement confinement) {
        this.mailer = mailer;
        this.confinement = confinement;
    }

    @Override
    public String kind() {
        return "send_mail";
    }

    @Override
    public void validate(JsonObject payload) {
        build(payload, false);
    }

    @Override
    public JsonObject handle(JobContext context) {
        Mail mail = build(context.payload(), true);
        mailer.send(mail);
        return new JsonObject().put("to", new JsonArray(mail.getTo())).put("cc", new JsonArray(mail.getCc()))
                .put("bcc", new JsonArray(mail.getBcc())).put("subject", mail.getSubject())
                .put("attachments", mail.getAttachments().size());
    }

    /** The mail a payload describes; attachments' contents are read only when {@code load}. */
    private Mail build(JsonObject json, boolean load) {
        Payload payload = Payload.of(json);
        List<String> to = headerSafe("to", payload.strings("to"));
        List<String> cc = headerSafe("cc", payload.strings("cc"));
        List<String> bcc = headerSafe("bcc", payload.strings("bcc"));
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw Payload.bad("to", "at least one recipient (to, cc or bcc) is needed");
        }
        String subject = headerSafe("subject", payload.requiredString("subject"));
        String text = payload.optionalString("text");
        String html = payload.optionalString("html");
        if (text == null && html == null) {
            throw Payload.bad("text", "give text, html or both");
        }
        Mail mail = new Mail().setTo(to).setCc(cc).setBcc(bcc).setSubject(subject).setText(text).setHtml(html);
        String from = headerSafe("from", payload.optionalString("from"));
        if (from != null) {
            mail.setFrom(from);
        }
        JsonArray attachments = payload.array("attachments");
        for (int i = 0; i < attachments.size(); i++) {
            String at = "attachments[" + i + "]";
            if (!(attachments.getValue(i) instanceof JsonObject a)) {
                throw Payload.bad(at, "must be {\"path\": ...} or {\"name\": ..., \"base64\": ...}");
            }
            attach(mail, at, Payload.of(a), load);
        }
        return mail;
    }

    /**
     * Text that ends up in a header (addresses, subject, attachment names and content types) holds no
     * control character: a CR or LF would end the header and let the payload write others, or a whole
     * second message into the SMTP session.
     */
    private static String headerSafe(String field, String value) {
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw Payload.bad(field, "contains a control character (U+" + String.format("%04X", (int) c)
                            + " at " + i + "); header fields may not hold line breaks or other control characters");
                }
            }
        }
        return value;
    }

    private static List<String> headerSafe(String field, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            headerSafe(field + "[" + i + "]", values.get(i));
        }
        return values;
    }

    private void attach(Mail mail, String at, Payload a, boolean load) {
        String contentType = headerSafe(at + ".contentType", a.optionalString("contentType"));
        contentType = contentType == null ? "application/octet-stream" : contentType;
        String path = a.optionalString("path");
        if (path != null) {
            Path file = confinement.files().check(at + ".path", path);
            headerSafe(at + ".path", file.getFileName().toString());
            if (load) {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalStateException(at + ".path: '" + file + "' is not a regular file");
                }
                mail.addAttachment(file.getFileName().toString(), file.toFile(), contentType);
            }
            return;
        }
        String name = headerSafe(at + ".name", a.optionalString("name"));
        String base64 = a.optionalString("base64");
        if (name == null || base64 == null) {
            throw Payload.bad(at, "give path, or name and base64");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw Payload.bad(at + ".base64", "is not base64: " + e.getMessage());
        }
        mail.addAttachment(name, data, contentType);
    }
}
