package io.planetexporter.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's TLS connections, except that a TLS record that has only partly arrived waits in an array
 * of its own length instead of in a pooled buffer sized for the largest record (16 KiB, 20 KiB with
 * the pool's rounding). Jetty keeps that buffer for as long as the rest of the record does not
 * come, so 1,000 clients that stop after the first bytes of a ClientHello (issue 20's attack) held
 * 20 MB of heap until each was timed out, and were opened again as fast; now they hold a few bytes
 * each, and the buffer goes back to the pool after every read.
 */
final class PartialRecordSslConnectionFactory extends SslConnectionFactory {

  PartialRecordSslConnectionFactory(SslContextFactory.Server tls, String nextProtocol) {
    super(tls, nextProtocol);
  }

  @Override
  protected SslConnection newSslConnection(
      Connector connector, EndPoint endPoint, SSLEngine engine) {
    return new PartialRecordSslConnection(
        connector.getByteBufferPool(),
        connector.getExecutor(),
        getSslContextFactory(),
        endPoint,
        engine,
        isDirectBuffersForEncryption(),
        isDirectBuffersForDecryption());
  }

  /**
   * Moves what an unwrap could not use (a partial record) out of Jetty's input buffer, so that the
   * buffer is empty and released, and puts it back in front of the next bytes read. Jetty calls
   * both methods only from its fill, under the connection's lock.
   */
  static final class PartialRecordSslConnection extends SslConnection {

    private static final byte[] NONE = new byte[0];

    private byte[] partial = NONE;

    PartialRecordSslConnection(
        ByteBufferPool pool,
        Executor executor,
        SslContextFactory tls,
        EndPoint endPoint,
        SSLEngine engine,
        boolean directForEncryption,
        boolean directForDecryption) {
      super(pool, executor, tls, endPoint, engine, directForEncryption, directForDecryption);
    }

    @Override
    protected int networkFill(ByteBuffer input) throws IOException {
      if (partial.length > 0) {
        // The buffer is empty here (it was emptied below) and holds at least a whole record.
        BufferUtil.append(input, partial);
        partial = NONE;
      }
      return super.networkFill(input);
    }

    @Override
    protected SSLEngineResult unwrap(SSLEngine engine, ByteBuffer input, ByteBuffer output)
        throws SSLException {
      SSLEngineResult result = super.unwrap(engine, input, output);
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && input.hasRemaining()) {
        partial = new byte[input.remaining()];
        input.get(partial);
      }
      return result;
    }
  }
}
