package dev.jobyard.command.copy;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

import dev.jobyard.handler.JobContext;

/**
 * Streams that fail once the attempt is stopped. The driver's COPY does not answer thread
 * interruption; failing its stream makes it abort the COPY (CopyFail), which rolls the rows back.
 */
final class StoppableStreams {

    private StoppableStreams() {
    }

    static InputStream of(InputStream in, JobContext context) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                check(context);
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check(context);
                return super.read(b, off, len);
            }
        };
    }

    static OutputStream of(OutputStream out, JobContext context) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                check(context);
                out.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                check(context);
                out.write(b);
            }
        };
    }

    private static void check(JobContext context) throws InterruptedIOException {
        if (context.isCancelled()) {
            throw new InterruptedIOException("the job was stopped");
        }
    }
}
