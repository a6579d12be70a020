package io.haddns.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.jute.Record;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.server.ByteBufferInputStream;
import org.apache.zookeeper.server.persistence.FileTxnLog;
import org.apache.zookeeper.server.persistence.TxnLog.TxnIterator;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.MultiTxn;
import org.apache.zookeeper.txn.SetDataTxn;
import org.apache.zookeeper.txn.Txn;

/**
 * Every committed write of one znode, read from the ZooKeeper server's own transaction log (the
 * {@code version-2} directory of its data directory), not from the node's current value: a later
 * write cannot hide an earlier one. ZooKeeper logs a transaction before it answers it, so every
 * write a controller was told had committed is there; a failed (conditional) transaction is logged
 * as errors only and yields nothing.
 */
final class ZkTxnLog {
  /** One committed value of an {@code agents/<id>} node: a report the controllers accepted. */
  record CommittedReport(long zxid, long sequence, List<String> addresses) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private ZkTxnLog() {}

  /** The values committed to {@code path}, in commit order, decoded as {@code agents/<id>}. */
  static List<CommittedReport> agentReports(File dataDirectory, String path) throws IOException {
    List<CommittedReport> out = new ArrayList<>();
    FileTxnLog log = new FileTxnLog(new File(dataDirectory, "version-2"));
    try (TxnIterator it = log.read(0)) {
      while (it.getHeader() != null) {
        long zxid = it.getHeader().getZxid();
        for (byte[] data : writes(it.getHeader().getType(), it.getTxn(), path)) {
          JsonNode j = JSON.readTree(data);
          List<String> addresses = new ArrayList<>();
          j.path("addresses").forEach(a -> addresses.add(a.asText()));
          out.add(new CommittedReport(zxid, j.path("sequence").asLong(), addresses));
        }
        if (!it.next()) {
          break;
        }
      }
    }
    return out;
  }

  private static List<byte[]> writes(int type, Record txn, String path) throws IOException {
    List<byte[]> out = new ArrayList<>();
    switch (txn) {
      case SetDataTxn set when type == OpCode.setData && set.getPath().equals(path) ->
          out.add(set.getData());
      case CreateTxn create
          when (type == OpCode.create || type == OpCode.create2) && create.getPath().equals(path) ->
          out.add(create.getData());
      case MultiTxn multi when type == OpCode.multi -> {
        for (Txn t : multi.getTxns()) {
          Record inner =
              switch (t.getType()) {
                case OpCode.setData -> new SetDataTxn();
                case OpCode.create, OpCode.create2 -> new CreateTxn();
                default -> null;
              };
          if (inner != null) {
            ByteBufferInputStream.byteBuffer2Record(ByteBuffer.wrap(t.getData()), inner);
            out.addAll(writes(t.getType(), inner, path));
          }
        }
      }
      case null, default -> {}
    }
    return out;
  }
}
