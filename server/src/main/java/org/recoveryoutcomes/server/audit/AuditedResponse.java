package org.recoveryoutcomes.server.audit;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Runs the audit write once, before anything of the response can reach the client: before the first byte is written
 * or flushed, before an error page or redirect, or at the end of the request. If the audit write fails, the response
 * is swallowed and {@link #auditFailed()} tells the filter to answer 503 instead.
 */
final class AuditedResponse extends HttpServletResponseWrapper {

    interface Audit {
        void write(int status) throws Exception;
    }

    private final Audit audit;
    private boolean done;
    private boolean failed;
    private ServletOutputStream stream;
    private PrintWriter writer;

    AuditedResponse(HttpServletResponse response, Audit audit) {
        super(response);
        this.audit = audit;
    }

    boolean auditFailed() {
        return failed;
    }

    /** Writes the audit record now unless already done; false if it could not be written. */
    boolean auditNow(int status) {
        if (!done) {
            done = true;
            try {
                audit.write(status);
            } catch (Exception e) {
                failed = true;
            }
        }
        return !failed;
    }

    private void beforeCommit() throws IOException {
        if (!auditNow(getStatus())) {
            throw new IOException("the audit trail is unavailable");
        }
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        if (auditNow(sc)) {
            super.sendError(sc, msg);
        }
    }

    @Override
    public void sendError(int sc) throws IOException {
        if (auditNow(sc)) {
            super.sendError(sc);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        if (auditNow(HttpServletResponse.SC_FOUND)) {
            super.sendRedirect(location);
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        beforeCommit();
        super.flushBuffer();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream out = super.getOutputStream();
            stream = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    beforeCommit();
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    beforeCommit();
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    beforeCommit();
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    beforeCommit();
                    out.close();
                }

                @Override
                public boolean isReady() {
                    return out.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    out.setWriteListener(listener);
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter out = super.getWriter();
            writer = new PrintWriter(new Writer() {
                @Override
                public void write(char[] buf, int off, int len) throws IOException {
                    beforeCommit();
                    out.write(buf, off, len);
                }

                @Override
                public void flush() throws IOException {
                    beforeCommit();
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    beforeCommit();
                    out.close();
                }
            });
        }
        return writer;
    }
}
